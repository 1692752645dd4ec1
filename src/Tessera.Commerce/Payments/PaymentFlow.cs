using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>
/// Charging and refunding, over the store and the processor. An order is charged once: the first call claims the
/// order id (a PROCESSING row) before it asks the processor; a concurrent or retried call waits for that result.
/// A charge once started is finished and recorded even if its caller goes away (the processor is not given the
/// call's cancellation), so a retry finds the one result. A processor that cannot be reached leaves nothing charged
/// and the claim deleted. A claim whose owner crashed is taken over once its lease (<see cref="ClaimLease"/>) has
/// run out, and charged again with the same payment id, which a real processor uses as its idempotency key.
/// </summary>
public sealed class PaymentFlow(IPaymentStore store, IPaymentProcessor processor, TimeProvider time, ILogger<PaymentFlow> logger)
{
    /// <summary>How long the processor may take before the charge counts as unreachable.</summary>
    public static readonly TimeSpan ProcessorTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a claim is its owner's: past it, the owner is presumed dead and the next attempt takes over.</summary>
    public static readonly TimeSpan ClaimLease = ProcessorTimeout + TimeSpan.FromSeconds(10);

    /// <summary>How long a second call waits for the first one's result before it is told ABORTED PAYMENT_IN_PROGRESS.</summary>
    public static readonly TimeSpan WaitLimit = TimeSpan.FromSeconds(10);

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(50);

    public async Task<PaymentRecord> ProcessAsync(string orderId, Amount amount, string paymentMethodToken, CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        while (true)
        {
            PaymentClaim claim;
            using (Step("payments.store.claim"))
            {
                claim = await store.ClaimAsync(orderId, amount, ClaimLease, cancellationToken);
            }

            if (claim is { Payment: { } claimed, ClaimToken: { } token })
            {
                var charge = ChargeAndRecordAsync(claimed, paymentMethodToken, token);
                try
                {
                    return await charge.WaitAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (!charge.IsCompleted)
                {
                    // The caller has gone; the charge runs on, and nobody else will see how it ends.
                    _ = charge.ContinueWith(Observe, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
                    throw;
                }
            }

            if (claim.Payment is not { } existing)
            {
                continue;
            }

            if (existing.Amount != amount)
            {
                throw PaymentErrors.Mismatch(orderId, existing.Amount, amount);
            }

            if (existing.Status is not PaymentStatus.Processing)
            {
                return existing;
            }

            // Another call is charging the order: read (no lock, no write) until it has finished or given the order
            // up, then claim again, which returns its result or lets this call charge.
            do
            {
                if (time.GetElapsedTime(started) >= WaitLimit)
                {
                    throw PaymentErrors.InProgress(orderId, TimeSpan.FromSeconds(1));
                }

                await Task.Delay(PollInterval, time, cancellationToken);
            }
            while ((await store.GetAsync(PaymentKey.ByOrder(orderId), cancellationToken))?.Status is PaymentStatus.Processing);
        }
    }

    /// <summary>
    /// A finished payment; one still being charged is ABORTED PAYMENT_IN_PROGRESS (a retry gets its result). A claim
    /// whose owner died (its lease ran out) is settled here from the processor's own record: the charge it made is
    /// recorded, or, when it made none, the claim is released and the payment does not exist (NOT_FOUND), so an order
    /// waiting on it can be undone.
    /// </summary>
    public async Task<PaymentRecord> GetAsync(PaymentKey key, CancellationToken cancellationToken)
    {
        PaymentRecord payment;
        using (Step("payments.store.get"))
        {
            payment = await store.GetAsync(key, cancellationToken) ?? throw PaymentErrors.NotFound(key.ToString());
        }

        return payment.Status is PaymentStatus.Processing ? await SettleAbandonedAsync(payment, cancellationToken) : payment;
    }

    private async Task<PaymentRecord> SettleAbandonedAsync(PaymentRecord processing, CancellationToken cancellationToken)
    {
        PaymentClaim claim;
        using (Step("payments.store.claim"))
        {
            claim = await store.ClaimAsync(processing.OrderId, processing.Amount, ClaimLease, cancellationToken);
        }

        switch (claim)
        {
            case { Payment: { } owned, ClaimToken: { } token }:
                ChargeResult? made;
                using (Step("payments.processor.find"))
                {
                    made = await processor.FindChargeAsync(owned.PaymentId, cancellationToken);
                }

                if (made is null)
                {
                    logger.LogWarning("The charge of order {OrderId} was abandoned by a process that died before charging; its claim is released", owned.OrderId);
                    await ReleaseAsync(owned, token);
                    throw PaymentErrors.NotFound(PaymentKey.ByOrder(owned.OrderId).ToString());
                }

                using (Step("payments.store.complete"))
                {
                    return await store.CompleteAsync(owned.PaymentId, token, made, CancellationToken.None)
                        ?? throw PaymentErrors.InProgress(owned.OrderId, TimeSpan.FromSeconds(1));
                }

            case { Payment: { Status: not PaymentStatus.Processing } finished }:
                return finished;
            case { Payment: { } running }:
                throw PaymentErrors.InProgress(running.OrderId, TimeSpan.FromSeconds(1));
            default:
                throw PaymentErrors.NotFound(PaymentKey.ByOrder(processing.OrderId).ToString());
        }
    }

    public async Task<RefundOutcome> RefundAsync(RefundRequest request, CancellationToken cancellationToken)
    {
        using (Step("payments.store.refund"))
        {
            return await store.RefundAsync(request, IssueRefundAsync, cancellationToken);
        }
    }

    private async Task<string> IssueRefundAsync(PaymentRecord payment, Amount amount, CancellationToken cancellationToken)
    {
        using var span = Step("payments.processor.refund");
        return await processor.RefundAsync(payment.ProcessorReference, amount, cancellationToken);
    }

    /// <summary>Runs to the end whatever happens to the call that started it: its result is what every retry returns.</summary>
    private async Task<PaymentRecord> ChargeAndRecordAsync(PaymentRecord claimed, string paymentMethodToken, string claimToken)
    {
        ChargeResult result;
        try
        {
            using var span = Step("payments.processor.charge");
            using var timeout = new CancellationTokenSource(ProcessorTimeout, time);
            result = await processor.ChargeAsync(new ChargeRequest(claimed.PaymentId, claimed.Amount, paymentMethodToken), timeout.Token);
        }
        catch (Exception error)
        {
            await ReleaseAsync(claimed, claimToken);
            if (error is OperationCanceledException)
            {
                throw PaymentErrors.ProcessorUnavailable($"no answer within {ProcessorTimeout.TotalSeconds:0} s");
            }

            throw;
        }

        using (Step("payments.store.complete"))
        {
            return await store.CompleteAsync(claimed.PaymentId, claimToken, result, CancellationToken.None)
                ?? throw new InvalidOperationException($"payment {claimed.PaymentId} was taken over while its charge was running");
        }
    }

    /// <summary>
    /// Frees the order id after a charge that took nothing. If the store cannot be reached the claim stays, and the
    /// caller still gets the processor's error: the claim's lease runs out and the next attempt takes it over.
    /// </summary>
    private async Task ReleaseAsync(PaymentRecord claimed, string claimToken)
    {
        using var span = Step("payments.store.release");
        try
        {
            await store.ReleaseAsync(claimed.PaymentId, claimToken, CancellationToken.None);
        }
        catch (Exception error) when (error is not OperationCanceledException)
        {
            logger.LogWarning(error, "Could not release the claim on order {OrderId}; it frees itself when its lease runs out", claimed.OrderId);
        }
    }

    private void Observe(Task task)
    {
        if (task.Exception?.GetBaseException() is { } error and not CommerceException)
        {
            logger.LogError(error, "A payment charge failed after its caller had gone");
        }
    }

    private static Activity? Step(string name) => PaymentsTelemetry.Source.StartActivity(name);
}
