namespace Tessera.IntegrationTests.Commerce.MultiProcess;

/// <summary>The three processes on SQLite, each with its own data directory.</summary>
public sealed class SqliteMultiProcessOrderTests : MultiProcessOrderTests
{
    private protected override Task<CommerceProcesses> StartAsync() => CommerceProcesses.StartAsync(["--store", "sqlite"]);
}
