namespace Tessera.Cli.Tests;

[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

/// <summary>Secrets in the environment never appear in help or usage errors.</summary>
/// <remarks>Sets TESSERA_TOKEN for the whole process, so it runs alone (<see cref="EnvironmentCollection"/>).</remarks>
[Collection(nameof(EnvironmentCollection))]
public sealed class SecretsTests : IDisposable
{
    private const string Secret = "eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.signature";

    private static readonly string[] Variables = ["TESSERA_TOKEN", "TESSERA_PASSWORD"];

    private readonly CliHarness _cli = new();
    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public SecretsTests()
    {
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, Secret);
        }
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        _cli.Dispose();
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("users", "get", "--help")]
    [InlineData("login", "--help")]
    [InlineData("users", "get")]
    [InlineData("users", "get", "7", "--no-such-option")]
    [InlineData("login")]
    public async Task Help_and_usage_errors_never_show_a_secret_from_the_environment(params string[] args)
    {
        await _cli.RunAsync(args);

        Assert.DoesNotContain(Secret, _cli.Out.ToString() + _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("eyJ", _cli.Out.ToString() + _cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_from_the_environment_is_still_sent()
    {
        await _cli.RunAsync("users", "get", "7");

        Assert.Equal("Bearer " + Secret, _cli.Invoker.LastCall.Options.Headers?.GetValue("authorization"));
    }
}
