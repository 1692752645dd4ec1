using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Tessera.Commerce.Inventory;

namespace Tessera.Commerce.Tests.Inventory;

/// <summary>The inventory store contract on SQLite, one database file per test.</summary>
public sealed class SqliteInventoryStoreTests : InventoryStoreContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-inventory-tests-").FullName;

    protected override DbInventoryStore CreateStore(TimeProvider clock) =>
        new SqliteInventoryStore(Path.Combine(directory, SqliteInventoryStore.FileName), clock);

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
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

    [Fact]
    public async Task Reopening_the_file_keeps_the_data_and_migrates_nothing_twice()
    {
        await Store.CreateProductAsync(new NewProduct("kept", "Kept", Usd(1), 1, true), default);
        var reopened = await OpenAsync();
        Assert.Equal("Kept", (await reopened.GetProductAsync("KEPT", default))!.Name);
    }

    [Fact]
    public async Task Each_store_step_is_a_span_of_the_inventory_source()
    {
        var spans = new ConcurrentQueue<string>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == InventoryTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = activity => spans.Enqueue(activity.OperationName),
        };
        ActivitySource.AddActivityListener(listener);

        await Store.CreateProductAsync(new NewProduct("traced", "Traced", Usd(1), 1, true), default);
        var reservation = await Store.ReserveAsync(Request("traced-order", ("traced", 1)), default);
        await Store.CommitAsync(reservation.ReservationId, default);

        Assert.Contains("inventory.create_product", spans);
        Assert.Contains("inventory.reserve", spans);
        Assert.Contains("inventory.commit", spans);
    }
}
