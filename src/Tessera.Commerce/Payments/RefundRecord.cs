using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>A stored refund; <paramref name="RequestId"/> is the caller's idempotency key, when given.</summary>
public sealed record RefundRecord(
    string RefundId,
    string PaymentId,
    Amount Amount,
    string Reason,
    string? RequestId,
    string ProcessorReference,
    DateTimeOffset CreateTime);
