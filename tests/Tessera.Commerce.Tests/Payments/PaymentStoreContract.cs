using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Commerce.Money;
using Tessera.Commerce.Payments;
using Tessera.Commerce.Payments.Storage;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Payments;

/// <summary>
/// What every payment store must do, through <see cref="PaymentFlow"/> as the service uses it, with a processor that
/// counts its charges. A store runs it by deriving from this class and implementing <see cref="CreateStore"/>; every
/// call of it within one test opens the same (initially empty) database, so a second call is a restart.
/// </summary>
public abstract class PaymentStoreContract : IDisposable
{
    private static readonly Amount TenDollars = new(1000, "USD");
    private readonly List<SqlPaymentStore> opened = [];
    private PaymentFlow? flow;

    internal CountingProcessor Processor { get; } = new();

    protected ManualClock Clock { get; } = new();

    private PaymentFlow Flow => flow ??= NewFlow(OpenAsync().GetAwaiter().GetResult());

    protected abstract SqlPaymentStore CreateStore(TimeProvider clock);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Processor.Release();
            foreach (var store in opened)
            {
                store.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            opened.Clear();
        }
    }

    [SkippableFact]
    public async Task Each_test_token_has_its_documented_outcome()
    {
        var approved = await Flow.ProcessAsync("order-approve", TenDollars, SimulatedPaymentProcessor.Approve, default);
        Assert.Equal(PaymentStatus.Captured, approved.Status);
        Assert.StartsWith("pay_", approved.PaymentId, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(approved.ProcessorReference));
        Assert.Equal(0, approved.RefundedAmount.MinorUnits);

        var declined = await Flow.ProcessAsync("order-decline", TenDollars, SimulatedPaymentProcessor.Decline, default);
        Assert.Equal((PaymentStatus.Declined, "card_declined"), (declined.Status, declined.DeclineCode));

        var poor = await Flow.ProcessAsync("order-poor", TenDollars, SimulatedPaymentProcessor.InsufficientFunds, default);
        Assert.Equal((PaymentStatus.Declined, "insufficient_funds"), (poor.Status, poor.DeclineCode));

        var unreachable = await Assert.ThrowsAsync<CommerceException>(() =>
            Flow.ProcessAsync("order-error", TenDollars, SimulatedPaymentProcessor.ProcessorError, default));
        Assert.Equal((CommerceFailure.Unavailable, "PROCESSOR_UNAVAILABLE"), (unreachable.Failure, unreachable.Reason));
        Assert.NotNull(unreachable.RetryDelay);
        Assert.Null(await GetAsync(PaymentKey.ByOrder("order-error")));

        var unknown = await Assert.ThrowsAsync<CommerceException>(() => Flow.ProcessAsync("order-unknown", TenDollars, "tok_nope", default));
        Assert.Equal((CommerceFailure.InvalidArgument, "UNKNOWN_PAYMENT_METHOD"), (unknown.Failure, unknown.Reason));
        Assert.Null(await GetAsync(PaymentKey.ByOrder("order-unknown")));

        // The order ids a failure left free can be paid now.
        Assert.Equal(PaymentStatus.Captured, (await Flow.ProcessAsync("order-error", TenDollars, SimulatedPaymentProcessor.Approve, default)).Status);
        Assert.Equal(PaymentStatus.Captured, (await Flow.ProcessAsync("order-unknown", TenDollars, SimulatedPaymentProcessor.Approve, default)).Status);
    }

    [SkippableFact]
    public async Task A_retried_payment_returns_the_first_result_and_charges_once()
    {
        var first = await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Decline, default);
        var again = await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Approve, default);

        Assert.Equal(first, again with { Refunds = first.Refunds });
        Assert.Equal(PaymentStatus.Declined, again.Status);
        Assert.Equal(1, Processor.Charges);
        Assert.Equal(first.PaymentId, (await GetAsync(PaymentKey.ById(first.PaymentId)))!.PaymentId);
    }

    [SkippableFact]
    public async Task The_same_order_with_another_amount_or_currency_is_a_mismatch()
    {
        await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Approve, default);

        var amount = await Assert.ThrowsAsync<CommerceException>(() => Flow.ProcessAsync("order-1", new Amount(999, "USD"), SimulatedPaymentProcessor.Approve, default));
        var currency = await Assert.ThrowsAsync<CommerceException>(() => Flow.ProcessAsync("order-1", new Amount(1000, "EUR"), SimulatedPaymentProcessor.Approve, default));

        Assert.Equal((CommerceFailure.FailedPrecondition, "PAYMENT_MISMATCH"), (amount.Failure, amount.Reason));
        Assert.Equal("PAYMENT_MISMATCH", currency.Reason);
        Assert.Equal(1, Processor.Charges);
        Assert.Equal(TenDollars, (await GetAsync(PaymentKey.ByOrder("order-1")))!.Amount);
    }

    [SkippableFact]
    public async Task Concurrent_payments_for_one_order_charge_once_and_all_get_that_charge()
    {
        _ = Flow;
        Processor.Hold();
        var calls = Enumerable.Range(0, 20)
            .Select(_ => Task.Run(() => Flow.ProcessAsync("order-race", TenDollars, SimulatedPaymentProcessor.Approve, default)))
            .ToList();
        await WaitUntilAsync(() => Processor.Charges > 0);
        Processor.Release();

        var results = await Task.WhenAll(calls);
        Assert.Equal(1, Processor.Charges);
        Assert.Single(results.Select(r => r.PaymentId).Distinct());
        Assert.All(results, r => Assert.Equal(PaymentStatus.Captured, r.Status));
    }

    [SkippableFact]
    public async Task A_charge_finishes_after_its_caller_gives_up_and_a_retry_returns_it()
    {
        _ = Flow;
        Processor.Hold();
        using var caller = new CancellationTokenSource();
        var abandoned = Flow.ProcessAsync("order-slow", TenDollars, SimulatedPaymentProcessor.Approve, caller.Token);
        await WaitUntilAsync(() => Processor.Charges > 0);
        await caller.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);

        var retry = Flow.ProcessAsync("order-slow", TenDollars, SimulatedPaymentProcessor.Approve, default);
        Processor.Release();

        Assert.Equal(PaymentStatus.Captured, (await retry).Status);
        Assert.Equal(1, Processor.Charges);
    }

    [SkippableFact]
    public async Task A_claim_whose_lease_ran_out_is_taken_over_and_a_live_one_is_not()
    {
        var store = await OpenAsync();
        var first = await store.ClaimAsync("order-crash", TenDollars, TimeSpan.FromSeconds(30), default);
        Assert.NotNull(first.ClaimToken);

        var whileLive = await store.ClaimAsync("order-crash", TenDollars, TimeSpan.FromSeconds(30), default);
        Assert.Null(whileLive.ClaimToken);
        Assert.Equal(PaymentStatus.Processing, whileLive.Payment!.Status);

        Clock.Advance(TimeSpan.FromSeconds(31));
        var takeOver = await store.ClaimAsync("order-crash", TenDollars, TimeSpan.FromSeconds(30), default);
        Assert.NotNull(takeOver.ClaimToken);
        Assert.Equal(first.Payment!.PaymentId, takeOver.Payment!.PaymentId);

        // The dead owner's token no longer completes or releases it; the new owner's does.
        Assert.Null(await store.CompleteAsync(first.Payment.PaymentId, first.ClaimToken!, new ChargeResult(true, "ref-old", ""), default));
        await store.ReleaseAsync(first.Payment.PaymentId, first.ClaimToken!, default);
        var done = await store.CompleteAsync(first.Payment.PaymentId, takeOver.ClaimToken!, new ChargeResult(true, "ref-new", ""), default);
        Assert.Equal((PaymentStatus.Captured, "ref-new"), (done!.Status, done.ProcessorReference));
    }

    [SkippableFact]
    public async Task A_claim_abandoned_by_a_dead_process_is_settled_by_GetPayment_from_the_processors_record()
    {
        var store = await OpenAsync();
        var flow = NewFlow(store);

        // Died before charging: the processor made nothing, so the payment does not exist and the order id is free.
        await store.ClaimAsync("order-dead", TenDollars, PaymentFlow.ClaimLease, default);
        var live = await Assert.ThrowsAsync<CommerceException>(() => flow.GetAsync(PaymentKey.ByOrder("order-dead"), default));
        Assert.Equal("PAYMENT_IN_PROGRESS", live.Reason);
        Clock.Advance(PaymentFlow.ClaimLease + TimeSpan.FromSeconds(1));
        var gone = await Assert.ThrowsAsync<CommerceException>(() => flow.GetAsync(PaymentKey.ByOrder("order-dead"), default));
        Assert.Equal("PAYMENT_NOT_FOUND", gone.Reason);
        Assert.Null(await GetAsync(PaymentKey.ByOrder("order-dead")));

        // Died after the processor charged but before recording it: the processor's result is recorded, not charged again.
        var claim = await store.ClaimAsync("order-charged", TenDollars, PaymentFlow.ClaimLease, default);
        await Processor.ChargeAsync(new ChargeRequest(claim.Payment!.PaymentId, TenDollars, SimulatedPaymentProcessor.Approve), default);
        Clock.Advance(PaymentFlow.ClaimLease + TimeSpan.FromSeconds(1));
        var settled = await flow.GetAsync(PaymentKey.ByOrder("order-charged"), default);
        Assert.Equal((PaymentStatus.Captured, claim.Payment.PaymentId), (settled.Status, settled.PaymentId));
        var retried = await flow.ProcessAsync("order-charged", TenDollars, SimulatedPaymentProcessor.Approve, default);
        Assert.Equal(settled.ProcessorReference, retried.ProcessorReference);
        Assert.Equal(1, Processor.Charges);
    }

    [SkippableFact]
    public async Task Partial_refunds_add_up_to_the_charge_and_a_full_one_makes_it_refunded()
    {
        var paid = await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Approve, default);

        var first = await Flow.RefundAsync(new RefundRequest(PaymentKey.ById(paid.PaymentId), new Amount(300, "USD"), "damaged", null), default);
        Assert.Equal((PaymentStatus.Captured, 300L), (first.Payment.Status, first.Payment.RefundedAmount.MinorUnits));
        Assert.Equal(("damaged", 300L), (first.Refund.Reason, first.Refund.Amount.MinorUnits));

        var tooMuch = await Assert.ThrowsAsync<CommerceException>(() =>
            Flow.RefundAsync(new RefundRequest(PaymentKey.ByOrder("order-1"), new Amount(701, "USD"), "", null), default));
        Assert.Equal((CommerceFailure.FailedPrecondition, "REFUND_EXCEEDS_CAPTURED"), (tooMuch.Failure, tooMuch.Reason));

        var rest = await Flow.RefundAsync(new RefundRequest(PaymentKey.ByOrder("order-1"), null, "", null), default);
        Assert.Equal(700, rest.Refund.Amount.MinorUnits);
        Assert.Equal((PaymentStatus.Refunded, 1000L), (rest.Payment.Status, rest.Payment.RefundedAmount.MinorUnits));
        Assert.Equal([300L, 700L], rest.Payment.Refunds.Select(r => r.Amount.MinorUnits));

        var more = await Assert.ThrowsAsync<CommerceException>(() =>
            Flow.RefundAsync(new RefundRequest(PaymentKey.ByOrder("order-1"), new Amount(1, "USD"), "", null), default));
        Assert.Equal("REFUND_EXCEEDS_CAPTURED", more.Reason);
        Assert.Equal(2, Processor.Refunds);
    }

    [SkippableFact]
    public async Task Refunds_are_refused_for_a_declined_or_missing_payment_and_in_another_currency()
    {
        await Flow.ProcessAsync("order-declined", TenDollars, SimulatedPaymentProcessor.Decline, default);
        await Flow.ProcessAsync("order-paid", TenDollars, SimulatedPaymentProcessor.Approve, default);

        var declined = await Assert.ThrowsAsync<CommerceException>(() => Flow.RefundAsync(new RefundRequest(PaymentKey.ByOrder("order-declined"), null, "", null), default));
        var missing = await Assert.ThrowsAsync<CommerceException>(() => Flow.RefundAsync(new RefundRequest(PaymentKey.ById("pay_none"), null, "", null), default));
        var currency = await Assert.ThrowsAsync<CommerceException>(() =>
            Flow.RefundAsync(new RefundRequest(PaymentKey.ByOrder("order-paid"), new Amount(100, "EUR"), "", null), default));

        Assert.Equal((CommerceFailure.FailedPrecondition, "PAYMENT_NOT_CAPTURED"), (declined.Failure, declined.Reason));
        Assert.Equal((CommerceFailure.NotFound, "PAYMENT_NOT_FOUND"), (missing.Failure, missing.Reason));
        Assert.Equal(CommerceFailure.InvalidArgument, currency.Failure);
        Assert.Equal(0, Processor.Refunds);
    }

    [SkippableFact]
    public async Task A_refund_repeated_with_its_request_id_is_made_once_and_a_reused_id_is_refused()
    {
        var paid = await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Approve, default);
        var request = new RefundRequest(PaymentKey.ById(paid.PaymentId), new Amount(400, "USD"), "", "refund-1");

        var first = await Flow.RefundAsync(request, default);
        var again = await Flow.RefundAsync(request, default);
        var unset = await Flow.RefundAsync(request with { Amount = null }, default);

        Assert.Equal(first.Refund, again.Refund);
        Assert.Equal(first.Refund, unset.Refund);
        Assert.Equal(400, again.Payment.RefundedAmount.MinorUnits);
        Assert.Equal(1, Processor.Refunds);
        var reused = await Assert.ThrowsAsync<CommerceException>(() => Flow.RefundAsync(request with { Amount = new Amount(500, "USD") }, default));
        Assert.Equal((CommerceFailure.FailedPrecondition, "REFUND_MISMATCH"), (reused.Failure, reused.Reason));
    }

    [SkippableFact]
    public async Task One_request_id_sent_at_once_for_two_payments_refunds_one_of_them()
    {
        var a = await Flow.ProcessAsync("order-a", TenDollars, SimulatedPaymentProcessor.Approve, default);
        var b = await Flow.ProcessAsync("order-b", TenDollars, SimulatedPaymentProcessor.Approve, default);

        var attempts = await Task.WhenAll(new[] { a, b }.Select(paid => Task.Run(async () =>
        {
            try
            {
                return (await Flow.RefundAsync(new RefundRequest(PaymentKey.ById(paid.PaymentId), null, "", "shared"), default)).Refund.PaymentId;
            }
            catch (CommerceException error) when (error.Reason == "REFUND_MISMATCH")
            {
                return null;
            }
        })));

        Assert.Single(attempts, id => id is not null);
        var refunded = (await GetAsync(PaymentKey.ById(attempts.Single(id => id is not null)!)))!;
        Assert.Equal(PaymentStatus.Refunded, refunded.Status);
    }

    [SkippableFact]
    public async Task Twenty_concurrent_partial_refunds_never_give_back_more_than_the_charge()
    {
        var paid = await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Approve, default);

        var attempts = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            try
            {
                return (await Flow.RefundAsync(new RefundRequest(PaymentKey.ById(paid.PaymentId), new Amount(100, "USD"), "", $"refund-{i}"), default)).Refund;
            }
            catch (CommerceException error) when (error.Reason == "REFUND_EXCEEDS_CAPTURED")
            {
                return null;
            }
        })));

        Assert.Equal(10, attempts.Count(r => r is not null));
        var after = (await GetAsync(PaymentKey.ById(paid.PaymentId)))!;
        Assert.Equal((PaymentStatus.Refunded, 1000L, 10), (after.Status, after.RefundedAmount.MinorUnits, after.Refunds.Count));
        Assert.Equal(10, Processor.Refunds);
    }

    [SkippableFact]
    public async Task Payments_and_refunds_survive_a_restart()
    {
        var paid = await Flow.ProcessAsync("order-1", TenDollars, SimulatedPaymentProcessor.Approve, default);
        var refund = await Flow.RefundAsync(new RefundRequest(PaymentKey.ById(paid.PaymentId), new Amount(250, "USD"), "late", "r-1"), default);

        var reopened = await OpenAsync();
        var read = await reopened.GetAsync(PaymentKey.ByOrder("order-1"), default);

        Assert.Equal(refund.Payment, read! with { Refunds = refund.Payment.Refunds });
        Assert.Equal(refund.Payment.Refunds, read.Refunds);
        Assert.Equal(StoreTimeNow(), read.CreateTime);
    }

    private DateTimeOffset StoreTimeNow() => Users.Storage.StoreTime.Truncate(Clock.GetUtcNow());

    private async Task<SqlPaymentStore> OpenAsync()
    {
        var store = CreateStore(Clock);
        opened.Add(store);
        await store.InitializeAsync(default);
        return store;
    }

    private PaymentFlow NewFlow(IPaymentStore store) => new(store, Processor, TimeProvider.System, NullLogger<PaymentFlow>.Instance);

    private Task<PaymentRecord?> GetAsync(PaymentKey key) => opened[0].GetAsync(key, default);

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!condition())
        {
            await Task.Delay(10, deadline.Token);
        }
    }
}
