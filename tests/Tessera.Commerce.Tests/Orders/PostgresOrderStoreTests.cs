using Tessera.Commerce.Orders;
using Tessera.Commerce.Orders.Storage;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>
/// The order store contract on PostgreSQL (schema <c>orders</c>, dropped before each test), plus what only PostgreSQL
/// has: replicas claiming recovery work at once take different orders.
/// </summary>
public sealed class PostgresOrderStoreTests(PostgresDatabaseFixture fixture) : OrderStoreContract, IClassFixture<PostgresDatabaseFixture>, IAsyncLifetime
{
    private readonly List<PostgresOrderStore> opened = [];
    private PostgresDatabase? database;

    private PostgresDatabase Database
    {
        get
        {
            if (database is null)
            {
                database = fixture.Fresh();
                database.Execute("DROP SCHEMA IF EXISTS orders CASCADE");
            }

            return database;
        }
    }

    protected override async Task<IOrderStore> OpenAsync()
    {
        var store = new PostgresOrderStore(Database.ConnectionString);
        opened.Add(store);
        await store.InitializeAsync(default);
        return store;
    }

    [SkippableFact]
    public async Task Replicas_claiming_at_once_take_each_order_once()
    {
        var replicas = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => OpenAsync()));
        for (var i = 0; i < 60; i++)
        {
            await Create(replicas[0], $"o{i}", SagaStep.Failing, lease: null);
        }

        var now = Clock.GetUtcNow();
        var claims = await Task.WhenAll(replicas.Select(replica => Task.Run(async () =>
        {
            var mine = new List<string>();
            IReadOnlyList<OrderRecord> batch;
            do
            {
                batch = await replica.ClaimForRecoveryAsync(now, now.AddSeconds(20), 7, default);
                mine.AddRange(batch.Select(o => o.OrderId));
            }
            while (batch.Count > 0);
            return mine;
        })));

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(60, all.Count);
        Assert.Equal(60, all.Distinct().Count());
    }

    [SkippableFact]
    public async Task The_tables_live_in_the_orders_schema_with_their_own_migrations()
    {
        await OpenAsync();
        await OpenAsync();
        Assert.Equal(["1"], Database.Query("SELECT version FROM orders.schema_migrations"));
        Assert.Equal(["order_lines", "orders", "schema_migrations"], Database.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'orders' ORDER BY table_name"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in opened)
        {
            await store.DisposeAsync();
        }
    }
}
