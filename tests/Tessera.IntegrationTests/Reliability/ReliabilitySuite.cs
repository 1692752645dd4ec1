namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// The reliability suite (crashes, store faults, floods, soak): its tests run one at a time, and the test command runs
/// them in a pass of their own after the other integration tests, selected by namespace (so every test of the suite
/// lives in Tessera.IntegrationTests.Reliability). Each one loads the machine on purpose: beside the
/// millisecond-deadline and paced-rate tests of the other suites, they made those fail on two cores, and the other
/// suites' load would blur their own figures.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ReliabilitySuite
{
    public const string Name = "Reliability";
}
