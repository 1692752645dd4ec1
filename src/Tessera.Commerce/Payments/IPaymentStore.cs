using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>
/// Where payments and refunds are kept (SQLite <c>payments.db</c> or the PostgreSQL schema <c>payments</c>). The order
/// id is unique: <see cref="ClaimAsync"/> is how one call, and only one, gets to charge an order.
/// </summary>
public interface IPaymentStore
{
    /// <summary>
    /// Inserts a PROCESSING payment for <paramref name="orderId"/> owned by the caller (a claim token comes back), or
    /// returns the payment already there. A PROCESSING claim whose lease ran out (its owner crashed) with the same
    /// amount is taken over: the caller owns it with a new token and a new lease of <paramref name="lease"/>.
    /// </summary>
    Task<PaymentClaim> ClaimAsync(string orderId, Amount amount, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Records the processor's answer on a claimed payment; null if the claim is no longer this token's.</summary>
    Task<PaymentRecord?> CompleteAsync(string paymentId, string claimToken, ChargeResult result, CancellationToken cancellationToken);

    /// <summary>Deletes a PROCESSING claim that charged nothing, so the order id is free to be paid again.</summary>
    Task ReleaseAsync(string paymentId, string claimToken, CancellationToken cancellationToken);

    Task<PaymentRecord?> GetAsync(PaymentKey key, CancellationToken cancellationToken);

    /// <summary>
    /// In one transaction that holds the payment (PostgreSQL: its row locked; SQLite: the write lock): returns the
    /// earlier refund with the same request_id, or decides the amount (<see cref="RefundRules"/>), asks
    /// <paramref name="issue"/> for the processor's refund reference, stores the refund and the new total.
    /// </summary>
    Task<RefundOutcome> RefundAsync(
        RefundRequest request, Func<PaymentRecord, Amount, CancellationToken, Task<string>> issue, CancellationToken cancellationToken);
}
