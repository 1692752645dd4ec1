using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Commerce.Orders;
using Tessera.Commerce.Orders.Saga;
using Tessera.Commerce.Orders.Storage;
using Tessera.Commerce.Tests.Orders.Fakes;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>
/// A saga on a real SQLite order store with fake peers sharing one set of <see cref="Faults"/>, and a clock the test
/// moves. <see cref="FreshSaga"/> is what a restarted process would run with: same store and peers, no faults.
/// </summary>
public sealed class SagaHarness : IAsyncDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-saga-tests-").FullName;

    private SagaHarness()
    {
        Users = new FakeUserDirectory(Faults);
        Inventory = new FakeInventory(Clock, Faults);
        Payments = new FakePayments(Faults);
        Inventory.Add("lamp-1", 1_999, 10);
        Inventory.Add("bulb-7", 500, 100);
        Store = new SqliteOrderStore(Path.Combine(directory, SqliteOrderStore.FileName));
    }

    public static OrderSagaOptions Options { get; } = new() { Lease = TimeSpan.FromSeconds(20), SettleTime = TimeSpan.FromSeconds(3), RecoveryBatch = 4 };

    public ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero));

    public Faults Faults { get; } = new();

    public FakeUserDirectory Users { get; }

    public FakeInventory Inventory { get; }

    public FakePayments Payments { get; }

    public SqliteOrderStore Store { get; }

    public OrderSaga Saga => new(Store, Users, Inventory, Payments, Options, Clock, NullLogger<OrderSaga>.Instance);

    public static async Task<SagaHarness> StartAsync()
    {
        var harness = new SagaHarness();
        await harness.Store.InitializeAsync(default);
        return harness;
    }

    /// <summary>The order as CreateOrder stores it: step Created, leased to its live saga.</summary>
    public async Task<OrderRecord> CreateAsync(string requestId = "req-1", long userId = 7, params (string Sku, int Quantity)[] lines)
    {
        var now = Clock.GetUtcNow();
        var order = new OrderRecord(
            Guid.NewGuid().ToString("N"), userId, requestId,
            lines.Length == 0 ? [new("lamp-1", 2), new("bulb-7", 3)] : [.. lines.Select(l => new OrderLineRecord(l.Sku, l.Quantity))],
            SagaStep.Created, now, now, 1) { LeaseUntil = now + Options.Lease };
        return (await Store.CreateAsync(order, default)).Order;
    }

    /// <summary>Clears the faults (a restarted process) and runs a recovery pass once every lease has ended.</summary>
    public Task<int> RecoverAsync()
    {
        Faults.Crash = null;
        Faults.Errors.Clear();
        Clock.Advance(Options.Lease + TimeSpan.FromSeconds(1));
        return RecoverNowAsync();
    }

    /// <summary>A recovery pass now, without moving the clock or clearing the faults.</summary>
    public Task<int> RecoverNowAsync() =>
        new OrderRecovery(Store, Saga, Options, Clock, new TestLifetime(), NullLogger<OrderRecovery>.Instance).RunPassAsync(default);

    public async Task<OrderRecord> ReadAsync(string orderId) => (await Store.GetAsync(orderId, default))!;

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // Cleaned up with the temp directory eventually.
        }

        return ValueTask.CompletedTask;
    }
}
