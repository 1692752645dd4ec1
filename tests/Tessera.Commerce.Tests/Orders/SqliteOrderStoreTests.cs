using Microsoft.Data.Sqlite;
using Tessera.Commerce.Orders;
using Tessera.Commerce.Orders.Storage;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>The order store contract on SQLite (orders.db in a directory of the test's own), plus a restart freeing leases.</summary>
public sealed class SqliteOrderStoreTests : OrderStoreContract, IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-orders-tests-").FullName;

    protected override async Task<IOrderStore> OpenAsync()
    {
        var store = new SqliteOrderStore(Path.Combine(directory, SqliteOrderStore.FileName));
        await store.InitializeAsync(default);
        return store;
    }

    [Fact]
    public async Task A_restart_frees_the_leases_of_the_process_that_ended()
    {
        var store = await OpenAsync();
        var now = Clock.GetUtcNow();
        var running = await Create(store, "running", SagaStep.Paid, lease: now.AddMinutes(1));
        Assert.Empty(await store.ClaimForRecoveryAsync(now, now.AddSeconds(20), 10, default));

        var restarted = await OpenAsync();
        var claimed = await restarted.ClaimForRecoveryAsync(now, now.AddSeconds(20), 10, default);
        Assert.Equal(running.OrderId, Assert.Single(claimed).OrderId);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open must not fail the test; the temp directory is cleaned up eventually.
        }
    }
}
