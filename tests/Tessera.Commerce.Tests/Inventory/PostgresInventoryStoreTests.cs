using Tessera.Commerce.Inventory;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Inventory;

/// <summary>
/// The inventory store contract on PostgreSQL (its own schema, dropped before each test), plus what only PostgreSQL
/// has: replicas on one database, whose sweepers must give an expired reservation's stock back once.
/// </summary>
public sealed class PostgresInventoryStoreTests(PostgresDatabaseFixture fixture) : InventoryStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase? database;

    private PostgresDatabase Database => database ??= Fresh();

    protected override DbInventoryStore CreateStore(TimeProvider clock) => new PostgresInventoryStore(Database.ConnectionString, clock);

    [SkippableFact]
    public async Task Two_replicas_sweeping_at_once_give_each_expired_reservation_back_once()
    {
        var replica = await OpenAsync();
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 500, true), default);
        for (var i = 0; i < 50; i++)
        {
            await Store.ReserveAsync(Request($"o-{i}", TimeSpan.FromSeconds(10), ("a", 3)), default);
        }

        Clock.Advance(TimeSpan.FromSeconds(11));
        var swept = await Task.WhenAll(Store.SweepExpiredAsync(100, default), replica.SweepExpiredAsync(100, default));
        Assert.Equal(50, swept.Sum());
        var a = (await Store.GetProductAsync("a", default))!;
        Assert.Equal((500L, 0L), (a.Available, a.Reserved));
    }

    [SkippableFact]
    public async Task Replicas_starting_together_migrate_the_schema_once()
    {
        var replicas = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync()));
        Assert.Equal(["1"], TestPostgres.Query(Database.ConnectionString, "SELECT version FROM inventory.schema_migrations"));
        Assert.Null(await replicas[0].GetProductAsync("x", default));
    }

    private PostgresDatabase Fresh()
    {
        var fresh = fixture.Fresh();
        TestPostgres.Execute(fresh.ConnectionString, "DROP SCHEMA IF EXISTS inventory CASCADE");
        return fresh;
    }
}
