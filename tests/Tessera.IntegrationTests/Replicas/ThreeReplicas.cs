using Grpc.Core;
using Tessera.Contracts.Auth.V1;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>
/// Three replicas on one fresh database, shared by the tests of a class. Started by the first test that asks
/// (<see cref="StartAsync"/>), so that without PostgreSQL the tests skip rather than fail in the fixture.
/// </summary>
public sealed class ThreeReplicas : IAsyncLifetime
{
    private readonly SemaphoreSlim starting = new(1, 1);
    private ReplicaSet? set;

    internal ReplicaSet Set => set ?? throw new InvalidOperationException("call StartAsync first");

    internal TokenPair Admin { get; private set; } = null!;

    internal Metadata AdminHeaders => new() { { "authorization", $"Bearer {Admin.AccessToken}" } };

    public async Task StartAsync()
    {
        var admin = ReplicaPostgres.AdminConnectionString;
        await starting.WaitAsync();
        try
        {
            if (set is null)
            {
                set = await ReplicaSet.StartAsync(admin, 3);
                Admin = await set.LoginAdminAsync();
            }
        }
        finally
        {
            starting.Release();
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (set is not null)
        {
            try
            {
                await set.StopAndCheckLogsAsync();
            }
            finally
            {
                await set.DisposeAsync();
            }
        }

        starting.Dispose();
    }
}
