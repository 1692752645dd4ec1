using Tessera.IntegrationTests.Replicas;

namespace Tessera.IntegrationTests.Commerce.MultiProcess;

/// <summary>The three processes on one PostgreSQL database (TESSERA_TEST_POSTGRES), each service in its own schema.</summary>
public sealed class PostgresMultiProcessOrderTests : MultiProcessOrderTests, IAsyncLifetime
{
    private readonly string _database = $"tessera_commerce_{Guid.NewGuid():N}";
    private string? _admin;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await ReplicaPostgres.DropDatabaseAsync(_admin, _database);
        }
    }

    private protected override async Task<CommerceProcesses> StartAsync()
    {
        _admin = ReplicaPostgres.AdminConnectionString;
        var connectionString = await ReplicaPostgres.CreateDatabaseAsync(_admin, _database);
        return await CommerceProcesses.StartAsync(["--store", "postgres", "--connection", connectionString]);
    }
}
