using System.Collections.Concurrent;
using System.Diagnostics;
using Grpc.Core;
using Tessera.Commerce.Orders;
using Tessera.Commerce.Tests.Orders.Fakes;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Tests.Orders;

/// <summary>The saga against fake peers: each outcome, what it leaves held or charged, and the status it answers.</summary>
public sealed class OrderSagaTests : IAsyncLifetime
{
    private SagaHarness h = null!;

    public async Task InitializeAsync() => h = await SagaHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task An_order_paid_for_is_confirmed_priced_charged_and_its_stock_sold()
    {
        var order = await h.CreateAsync();

        var placed = await h.Saga.PlaceAsync(order, "tok_approve", default);

        Assert.Equal(SagaStep.Confirmed, placed.Step);
        Assert.Equal("USD", placed.Currency);
        Assert.Equal(2 * 1_999 + 3 * 500, placed.TotalMinor);
        Assert.Equal([1_999L, 500L], placed.Lines.Select(l => l.UnitPriceMinor));
        Assert.Null(placed.LeaseUntil);
        Assert.Equal(placed, await h.ReadAsync(order.OrderId) with { Lines = placed.Lines });
        Assert.Equal(8, h.Inventory.Available("lamp-1"));
        Assert.Equal(Reservation.Types.State.Committed, h.Inventory.Reservations[order.OrderId].State);
        Assert.Equal(placed.TotalMinor, h.Payments.Held());
        Assert.Equal(0, h.Inventory.Held());
    }

    [Fact]
    public async Task Each_saga_step_and_store_step_is_a_span_of_the_orders_source()
    {
        var order = await h.CreateAsync();
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == OrdersTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        await h.Saga.PlaceAsync(order, "tok_approve", default);

        var mine = spans.Where(s => s.GetTagItem("order.id") as string == order.OrderId).Select(s => s.OperationName).ToList();
        Assert.Equal(["orders.saga.check_buyer", "orders.saga.price", "orders.saga.reserve", "orders.saga.pay", "orders.saga.commit"], mine.Where(n => n.StartsWith("orders.saga.", StringComparison.Ordinal)));
        Assert.Equal(4, mine.Count(n => n == "orders.store.update"));
    }

    [Fact]
    public async Task Out_of_stock_fails_the_order_with_inventorys_reason_and_charges_nothing()
    {
        var order = await h.CreateAsync(lines: [("lamp-1", 11)]);

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PlaceAsync(order, "tok_approve", default));

        Assert.Equal(CommerceFailure.FailedPrecondition, error.Failure);
        Assert.Equal("OUT_OF_STOCK", error.Reason);
        Assert.Equal(OrderErrors.Domain, error.Domain);
        Assert.Equal(order.OrderId, error.Metadata["order_id"]);
        var failed = await h.ReadAsync(order.OrderId);
        Assert.Equal(SagaStep.Failed, failed.Step);
        Assert.Equal("OUT_OF_STOCK", failed.Failure!.Reason);
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
        Assert.Empty(h.Payments.Payments);
    }

    [Theory]
    [InlineData("tok_decline", "PAYMENT_DECLINED", CommerceFailure.FailedPrecondition)]
    [InlineData("tok_processor_error", "PROCESSOR_UNAVAILABLE", CommerceFailure.Unavailable)]
    [InlineData("tok_unknown", "INVALID_ARGUMENT", CommerceFailure.InvalidArgument)]
    public async Task A_payment_refused_fails_the_order_and_releases_the_stock(string token, string reason, CommerceFailure failure)
    {
        var order = await h.CreateAsync();

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PlaceAsync(order, token, default));

        Assert.Equal(failure, error.Failure);
        Assert.Equal(reason, error.Reason);
        var failed = await h.ReadAsync(order.OrderId);
        Assert.Equal(SagaStep.Failed, failed.Step);
        Assert.Equal(reason, failed.Failure!.Reason);
        Assert.Equal(Reservation.Types.State.Released, h.Inventory.Reservations[order.OrderId].State);
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
        Assert.Equal(0, h.Payments.Held());
    }

    [Fact]
    public async Task The_buyer_unknown_inactive_or_lines_unpriceable_fail_before_anything_is_held()
    {
        h.Users.Users[8] = new Contracts.User.V1.User { Id = 8, IsActive = false };
        h.Inventory.Add("euro-1", 100, 5, currency: "EUR");
        h.Inventory.Add("gone-1", 100, 5, active: false);
        var cases = new (long User, (string, int)[] Lines, string Reason, CommerceFailure Failure)[]
        {
            (9, [("lamp-1", 1)], "USER_NOT_FOUND", CommerceFailure.NotFound),
            (8, [("lamp-1", 1)], "USER_INACTIVE", CommerceFailure.FailedPrecondition),
            (7, [("lamp-1", 1), ("nope-9", 1)], "UNKNOWN_SKU", CommerceFailure.NotFound),
            (7, [("lamp-1", 1), ("euro-1", 1)], "MIXED_CURRENCIES", CommerceFailure.FailedPrecondition),
            (7, [("gone-1", 1)], "PRODUCT_INACTIVE", CommerceFailure.FailedPrecondition),
        };

        foreach (var (user, lines, reason, failure) in cases)
        {
            var order = await h.CreateAsync(reason, user, lines);
            var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PlaceAsync(order, "tok_approve", default));
            Assert.Equal((reason, failure), (error.Reason, error.Failure));
            Assert.Equal(SagaStep.Failed, (await h.ReadAsync(order.OrderId)).Step);
        }

        Assert.Empty(h.Inventory.Reservations);
        Assert.Empty(h.Payments.Payments);
    }

    [Theory]
    [InlineData("GetUser")]
    [InlineData("CheckStock")]
    public async Task A_peer_unreachable_before_anything_is_held_fails_the_order_at_once(string call)
    {
        var order = await h.CreateAsync();
        h.Faults.Errors[call] = PeerErrors.Bare(StatusCode.Unavailable);

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PlaceAsync(order, "tok_approve", default));

        Assert.Equal((CommerceFailure.Unavailable, "UNAVAILABLE"), (error.Failure, error.Reason));
        var failed = await h.ReadAsync(order.OrderId);
        Assert.Equal(SagaStep.Failed, failed.Step);
        Assert.Empty(h.Inventory.Reservations);
        Assert.Empty(h.Payments.Payments);
    }

    [Fact]
    public async Task Without_a_payment_method_the_order_waits_for_payment_then_is_confirmed()
    {
        var order = await h.CreateAsync();

        var waiting = await h.Saga.PlaceAsync(order, "", default);
        Assert.Equal(SagaStep.AwaitingPayment, waiting.Step);
        Assert.Null(waiting.LeaseUntil);
        Assert.Equal(5, h.Inventory.Held());
        Assert.Equal(0, await h.RecoverNowAsync());

        var paid = await h.Saga.PayAsync(waiting, "tok_approve", default);
        Assert.Equal(SagaStep.Confirmed, paid.Step);
        Assert.Equal(paid.TotalMinor, h.Payments.Held());
        Assert.Equal(0, h.Inventory.Held());
    }

    [Fact]
    public async Task An_order_left_waiting_past_its_reservation_fails_in_recovery_and_cannot_be_paid()
    {
        var waiting = await h.Saga.PlaceAsync(await h.CreateAsync(), "", default);
        h.Clock.Advance(h.Inventory.Ttl);

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PayAsync(waiting, "tok_approve", default));
        Assert.Equal("RESERVATION_EXPIRED", error.Reason);
        Assert.Empty(h.Payments.Payments);

        var other = await h.Saga.PlaceAsync(await h.CreateAsync("req-2"), "", default);
        h.Clock.Advance(h.Inventory.Ttl);
        Assert.Equal(1, await h.RecoverAsync());
        var failed = await h.ReadAsync(other.OrderId);
        Assert.Equal(SagaStep.Failed, failed.Step);
        Assert.Equal("RESERVATION_EXPIRED", failed.Failure!.Reason);
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
    }

    [Fact]
    public async Task A_payment_whose_reservation_lapsed_meanwhile_is_refunded()
    {
        var waiting = await h.Saga.PlaceAsync(await h.CreateAsync(), "", default);
        h.Inventory.Reservations[waiting.OrderId].ExpireTime = Google.Protobuf.WellKnownTypes.Timestamp.FromDateTimeOffset(h.Clock.GetUtcNow());

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PayAsync(waiting, "tok_approve", default));

        Assert.Equal("RESERVATION_EXPIRED", error.Reason);
        Assert.Equal(SagaStep.Failed, (await h.ReadAsync(waiting.OrderId)).Step);
        Assert.Equal(Payment.Types.Status.Refunded, h.Payments.Payments[waiting.OrderId].Status);
        Assert.Equal(0, h.Payments.Held());
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
    }

    [Fact]
    public async Task Cancelling_a_confirmed_order_refunds_it_and_returns_its_stock_once()
    {
        var placed = await h.Saga.PlaceAsync(await h.CreateAsync(), "tok_approve", default);
        h.Faults.Crash = new CrashPoint("AdjustStock", AfterEffect: true);

        await Assert.ThrowsAsync<SimulatedCrash>(() => h.Saga.CancelAsync(placed, "changed my mind", default));
        Assert.Equal(1, await h.RecoverAsync());

        var cancelled = await h.ReadAsync(placed.OrderId);
        Assert.Equal(SagaStep.Cancelled, cancelled.Step);
        Assert.Equal("changed my mind", cancelled.CancelReason);
        Assert.Equal(0, h.Payments.Held());
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
        Assert.Equal(100, h.Inventory.Available("bulb-7"));
        Assert.Equal(2, h.Inventory.Adjustments);
    }

    [Fact]
    public async Task A_cancel_the_peers_cannot_finish_now_answers_unavailable_and_recovery_finishes_it()
    {
        var placed = await h.Saga.PlaceAsync(await h.CreateAsync(), "tok_approve", default);
        h.Faults.Errors["RefundPayment"] = PeerErrors.Bare(StatusCode.Unavailable);

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.CancelAsync(placed, "", default));

        Assert.Equal((CommerceFailure.Unavailable, placed.OrderId), (error.Failure, error.Metadata["order_id"]));
        Assert.Equal(SagaStep.Cancelling, (await h.ReadAsync(placed.OrderId)).Step);
        Assert.Equal(1, await h.RecoverAsync());
        Assert.Equal(SagaStep.Cancelled, (await h.ReadAsync(placed.OrderId)).Step);
        Assert.Equal(0, h.Payments.Held());
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
    }

    [Fact]
    public async Task Cancelling_an_order_awaiting_payment_releases_its_reservation()
    {
        var waiting = await h.Saga.PlaceAsync(await h.CreateAsync(), "", default);

        var cancelled = await h.Saga.CancelAsync(waiting, "", default);

        Assert.Equal(SagaStep.Cancelled, cancelled.Step);
        Assert.Equal(Reservation.Types.State.Released, h.Inventory.Reservations[waiting.OrderId].State);
        Assert.Equal(10, h.Inventory.Available("lamp-1"));
        Assert.Empty(h.Payments.Payments);
    }

    [Theory]
    [InlineData(true, SagaStep.Confirmed)]
    [InlineData(false, SagaStep.Failed)]
    public async Task A_payment_with_an_unknown_outcome_is_settled_by_recovery_asking_payments(bool charged, SagaStep outcome)
    {
        var order = await h.CreateAsync();
        h.Faults.Errors["ProcessPayment"] = PeerErrors.Bare(StatusCode.DeadlineExceeded);
        h.Faults.ErrorAfterEffect = charged;

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PlaceAsync(order, "tok_approve", default));

        Assert.Equal(CommerceFailure.DeadlineExceeded, error.Failure);
        Assert.Equal(order.OrderId, error.Metadata["order_id"]);
        var pending = await h.ReadAsync(order.OrderId);
        Assert.Equal(SagaStep.Paying, pending.Step);
        Assert.Equal(h.Clock.GetUtcNow() + SagaHarness.Options.SettleTime, pending.LeaseUntil);

        Assert.Equal(1, await h.RecoverAsync());
        var settled = await h.ReadAsync(order.OrderId);
        Assert.Equal(outcome, settled.Step);
        Assert.Equal(0, h.Inventory.Held());
        Assert.Equal(charged ? settled.TotalMinor : 0, h.Payments.Held());
        Assert.Equal(charged ? 8 : 10, h.Inventory.Available("lamp-1"));
        if (!charged)
        {
            Assert.Equal("DEADLINE_EXCEEDED", settled.Failure!.Reason);
        }
    }

    public static TheoryData<string, bool, string, SagaStep> CrashPoints() => new()
    {
        { "GetUser", false, "tok_approve", SagaStep.Failed },
        { "CheckStock", false, "tok_approve", SagaStep.Failed },
        { "ReserveItems", false, "tok_approve", SagaStep.Failed },
        { "ReserveItems", true, "tok_approve", SagaStep.Failed },
        { "ProcessPayment", false, "tok_approve", SagaStep.Failed },
        { "ProcessPayment", true, "tok_approve", SagaStep.Confirmed },
        { "CommitReservation", false, "tok_approve", SagaStep.Confirmed },
        { "CommitReservation", true, "tok_approve", SagaStep.Confirmed },
        { "ProcessPayment", true, "tok_decline", SagaStep.Failed },
        { "ReleaseReservation", false, "tok_decline", SagaStep.Failed },
        { "ReleaseReservation", true, "tok_decline", SagaStep.Failed },
    };

    [Theory]
    [MemberData(nameof(CrashPoints))]
    public async Task A_crash_at_any_step_is_finished_or_undone_by_recovery_with_nothing_charged_without_goods(
        string call, bool afterEffect, string token, SagaStep outcome)
    {
        var order = await h.CreateAsync();
        h.Faults.Crash = new CrashPoint(call, afterEffect);

        await Assert.ThrowsAsync<SimulatedCrash>(() => h.Saga.PlaceAsync(order, token, default));
        Assert.False((await h.ReadAsync(order.OrderId)).Step.IsFinal());
        Assert.Equal(1, await h.RecoverAsync());

        var recovered = await h.ReadAsync(order.OrderId);
        Assert.Equal(outcome, recovered.Step);
        Assert.Null(recovered.LeaseUntil);
        Assert.Equal(0, h.Inventory.Held());
        if (outcome == SagaStep.Confirmed)
        {
            Assert.Equal(recovered.TotalMinor, h.Payments.Held());
            Assert.Equal(Reservation.Types.State.Committed, h.Inventory.Reservations[order.OrderId].State);
            Assert.Equal(8, h.Inventory.Available("lamp-1"));
        }
        else
        {
            Assert.Equal(0, h.Payments.Held());
            Assert.Equal(10, h.Inventory.Available("lamp-1"));
            Assert.Equal(100, h.Inventory.Available("bulb-7"));
            Assert.NotNull(recovered.Failure);
        }

        Assert.Equal(0, await h.RecoverAsync());
    }

    [Fact]
    public async Task One_pass_recovers_more_orders_than_a_batch_holds()
    {
        var orders = new List<OrderRecord>();
        for (var i = 0; i < 10; i++)
        {
            var order = await h.CreateAsync($"req-{i}", lines: [("bulb-7", 1)]);
            h.Faults.Crash = new CrashPoint("ProcessPayment", AfterEffect: i % 2 == 0);
            await Assert.ThrowsAsync<SimulatedCrash>(() => h.Saga.PlaceAsync(order, "tok_approve", default));
            orders.Add(order);
        }

        Assert.Equal(10, await h.RecoverAsync());

        var recovered = await Task.WhenAll(orders.Select(o => h.ReadAsync(o.OrderId)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => i % 2 == 0 ? SagaStep.Confirmed : SagaStep.Failed), recovered.Select(o => o.Step));
        Assert.Equal(95, h.Inventory.Available("bulb-7"));
        Assert.Equal(0, h.Inventory.Held());
        Assert.Equal(5 * 500, h.Payments.Held());
    }

    [Fact]
    public async Task Recovery_leaves_alone_an_order_whose_saga_still_runs_and_takes_it_once_the_lease_ends()
    {
        var order = await h.CreateAsync();
        h.Faults.Crash = new CrashPoint("ProcessPayment", AfterEffect: true);
        await Assert.ThrowsAsync<SimulatedCrash>(() => h.Saga.PlaceAsync(order, "tok_approve", default));

        Assert.Equal(0, await h.RecoverNowAsync());
        Assert.Equal(SagaStep.Paying, (await h.ReadAsync(order.OrderId)).Step);
        Assert.Equal(1, await h.RecoverAsync());
        Assert.Equal(SagaStep.Confirmed, (await h.ReadAsync(order.OrderId)).Step);
    }

    [Fact]
    public async Task A_saga_that_lost_its_order_to_recovery_stops_with_aborted()
    {
        var order = await h.CreateAsync();
        h.Clock.Advance(SagaHarness.Options.Lease + TimeSpan.FromSeconds(1));
        await h.RecoverNowAsync();

        var error = await Assert.ThrowsAsync<CommerceException>(() => h.Saga.PlaceAsync(order, "tok_approve", default));

        Assert.Equal(CommerceFailure.Aborted, error.Failure);
        Assert.Equal(SagaStep.Failed, (await h.ReadAsync(order.OrderId)).Step);
        Assert.Empty(h.Payments.Payments);
    }
}
