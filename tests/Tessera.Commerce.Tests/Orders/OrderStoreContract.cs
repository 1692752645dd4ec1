using Grpc.Core;
using Tessera.Commerce.Orders;
using Tessera.Commerce.Orders.Storage;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>
/// What every <see cref="IOrderStore"/> must do. A store runs it by deriving from this class; each
/// <see cref="OpenAsync"/> within one test opens the same (initially empty) database, initialized.
/// </summary>
public abstract class OrderStoreContract
{
    /// <summary>Whole microseconds, as a store keeps time, so what is written compares equal to what is read.</summary>
    protected ManualClock Clock { get; } = new(new DateTimeOffset(2025, 3, 14, 15, 9, 26, TimeSpan.Zero).AddTicks(5_358_970));

    protected abstract Task<IOrderStore> OpenAsync();

    [SkippableFact]
    public async Task Create_then_get_round_trips_every_field()
    {
        var store = await OpenAsync();
        var order = NewOrder(7, "req-1") with
        {
            Currency = "EUR",
            TotalMinor = 4_500,
            ReservationId = "res-1",
            ReservationExpiresAt = Clock.GetUtcNow().AddMinutes(15),
            PaymentId = "pay-1",
            ReserveAttempted = true,
            PaymentAttempted = true,
            StockCommitted = true,
            Failure = new OrderFailure(StatusCode.FailedPrecondition, "OUT_OF_STOCK", "inventory: short of lamp-1 ünïcødé"),
            CancelReason = "changed my mind",
            LeaseUntil = Clock.GetUtcNow().AddSeconds(20),
        };

        var created = await store.CreateAsync(order, default);
        var read = await store.GetAsync(order.OrderId, default);

        Assert.True(created.Created);
        AssertSame(order, read);
        Assert.Null(await store.GetAsync("no-such-order", default));
    }

    [SkippableFact]
    public async Task A_repeated_request_id_answers_the_first_order_and_another_user_may_use_it_too()
    {
        var store = await OpenAsync();
        var first = await store.CreateAsync(NewOrder(7, "same"), default);
        var again = await store.CreateAsync(NewOrder(7, "same"), default);
        var otherUser = await store.CreateAsync(NewOrder(8, "same"), default);

        Assert.True(first.Created);
        Assert.False(again.Created);
        AssertSame(first.Order, again.Order);
        Assert.True(otherUser.Created);
        Assert.NotEqual(first.Order.OrderId, otherUser.Order.OrderId);
    }

    [SkippableFact]
    public async Task Concurrent_creates_with_one_request_id_store_one_order()
    {
        var store = await OpenAsync();
        var results = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => store.CreateAsync(NewOrder(7, "race"), default))));

        Assert.Single(results, result => result.Created);
        Assert.Single(results.Select(result => result.Order.OrderId).Distinct());
        var listed = await store.ListAsync(new OrderQuery(7, null, 100, null), default);
        Assert.Single(listed);
    }

    [SkippableFact]
    public async Task An_update_applies_only_over_the_version_it_read_and_can_rewrite_the_prices()
    {
        var store = await OpenAsync();
        var order = (await store.CreateAsync(NewOrder(7, "r"), default)).Order;
        var priced = order with
        {
            Version = 2,
            Step = SagaStep.Reserving,
            Currency = "USD",
            TotalMinor = 2 * 1_999 + 500,
            Lines = [order.Lines[0] with { UnitPriceMinor = 1_999 }, order.Lines[1] with { UnitPriceMinor = 500 }],
            UpdatedAt = Clock.GetUtcNow().AddSeconds(1),
        };

        Assert.True(await store.UpdateAsync(priced, withLines: true, default));
        Assert.False(await store.UpdateAsync(priced with { Step = SagaStep.Failed }, withLines: false, default));
        Assert.False(await store.UpdateAsync(priced with { Version = 5, Step = SagaStep.Failed }, withLines: false, default));

        AssertSame(priced, await store.GetAsync(order.OrderId, default));
        var next = priced with { Version = 3, Step = SagaStep.Failed, Failure = new OrderFailure(StatusCode.NotFound, "UNKNOWN_SKU", "no lamp"), LeaseUntil = null };
        Assert.True(await store.UpdateAsync(next, withLines: false, default));
        AssertSame(next, await store.GetAsync(order.OrderId, default));
    }

    [SkippableFact]
    public async Task Lists_newest_first_in_pages_by_user_or_all_and_by_step()
    {
        var store = await OpenAsync();
        var made = new List<OrderRecord>();
        for (var i = 0; i < 7; i++)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            var order = NewOrder(i % 2 == 0 ? 7 : 8, $"r{i}") with { Step = i < 3 ? SagaStep.Confirmed : SagaStep.Failed };
            made.Add((await store.CreateAsync(order, default)).Order);
        }

        var sevens = made.Where(o => o.UserId == 7).Reverse().Select(o => o.OrderId).ToList();
        var firstPage = await store.ListAsync(new OrderQuery(7, null, 3, null), default);
        var last = firstPage[^1];
        var secondPage = await store.ListAsync(new OrderQuery(7, null, 3, new OrderPosition(last.CreatedAt, last.OrderId)), default);
        Assert.Equal(sevens, firstPage.Concat(secondPage).Select(o => o.OrderId));
        Assert.All(firstPage, o => Assert.Equal(2, o.Lines.Count));

        var everyone = await store.ListAsync(new OrderQuery(null, null, 100, null), default);
        Assert.Equal(made.AsEnumerable().Reverse().Select(o => o.OrderId), everyone.Select(o => o.OrderId));

        var confirmed = await store.ListAsync(new OrderQuery(null, [SagaStep.Confirmed], 100, null), default);
        Assert.Equal(made.Take(3).Reverse().Select(o => o.OrderId), confirmed.Select(o => o.OrderId));
        Assert.Empty(await store.ListAsync(new OrderQuery(9, null, 100, null), default));
    }

    [SkippableFact]
    public async Task Recovery_claims_unfinished_orders_whose_lease_ended_and_expired_awaiting_payments_once()
    {
        var store = await OpenAsync();
        var now = Clock.GetUtcNow();
        var leased = await Create(store, "leased", SagaStep.Paying, lease: now.AddSeconds(10));
        var free = await Create(store, "free", SagaStep.Paying, lease: null);
        var ended = await Create(store, "ended", SagaStep.Reserving, lease: now.AddSeconds(-1));
        var failing = await Create(store, "failing", SagaStep.Failing, lease: null);
        await Create(store, "confirmed", SagaStep.Confirmed, lease: null);
        await Create(store, "failed", SagaStep.Failed, lease: null);
        await Create(store, "cancelled", SagaStep.Cancelled, lease: null);
        await Create(store, "waiting", SagaStep.AwaitingPayment, lease: null, expires: now.AddMinutes(1));
        var expired = await Create(store, "expired", SagaStep.AwaitingPayment, lease: null, expires: now.AddSeconds(-1));

        var claimed = await store.ClaimForRecoveryAsync(now, now.AddSeconds(20), 100, default);

        Assert.Equal(
            new[] { free, ended, failing, expired }.Select(o => o.OrderId).Order(),
            claimed.Select(o => o.OrderId).Order());
        Assert.All(claimed, o => Assert.Equal(now.AddSeconds(20), o.LeaseUntil));
        Assert.All(claimed, o => Assert.Equal(2, o.Version));
        Assert.All(claimed, o => Assert.Equal(2, o.Lines.Count));
        Assert.Empty(await store.ClaimForRecoveryAsync(now, now.AddSeconds(20), 100, default));

        // Once the leases end, the one the other runner held is free as well.
        var later = now.AddSeconds(30);
        var again = await store.ClaimForRecoveryAsync(later, later.AddSeconds(20), 100, default);
        Assert.Contains(leased.OrderId, again.Select(o => o.OrderId));
        Assert.Equal(5, again.Count);
    }

    [SkippableFact]
    public async Task Recovery_claims_in_batches()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 5; i++)
        {
            await Create(store, $"o{i}", SagaStep.Failing, lease: null);
        }

        var now = Clock.GetUtcNow();
        var first = await store.ClaimForRecoveryAsync(now, now.AddSeconds(20), 3, default);
        var second = await store.ClaimForRecoveryAsync(now, now.AddSeconds(20), 3, default);
        Assert.Equal(3, first.Count);
        Assert.Equal(2, second.Count);
        Assert.Empty(first.Select(o => o.OrderId).Intersect(second.Select(o => o.OrderId)));
    }

    protected OrderRecord NewOrder(long userId, string requestId)
    {
        var now = Clock.GetUtcNow();
        return new OrderRecord(Guid.NewGuid().ToString("N"), userId, requestId, [new OrderLineRecord("lamp-1", 2), new OrderLineRecord("BULB.7", 1)], SagaStep.Created, now, now, 1);
    }

    protected async Task<OrderRecord> Create(IOrderStore store, string requestId, SagaStep step, DateTimeOffset? lease, DateTimeOffset? expires = null)
    {
        Clock.Advance(TimeSpan.FromMilliseconds(1));
        var order = NewOrder(7, requestId) with { Step = step, LeaseUntil = lease, ReservationExpiresAt = expires };
        return (await store.CreateAsync(order, default)).Order;
    }

    protected static void AssertSame(OrderRecord expected, OrderRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { Lines = actual.Lines }, actual);
        Assert.Equal(expected.Lines, actual.Lines);
    }
}
