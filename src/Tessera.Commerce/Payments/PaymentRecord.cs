using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>A stored payment with its refunds (oldest first).</summary>
public sealed record PaymentRecord(
    string PaymentId,
    string OrderId,
    Amount Amount,
    PaymentStatus Status,
    string DeclineCode,
    Amount RefundedAmount,
    string ProcessorReference,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime,
    IReadOnlyList<RefundRecord> Refunds)
{
    /// <summary>What can still be given back: the captured amount less the refunds (zero unless captured).</summary>
    public Amount Refundable => Status is PaymentStatus.Captured ? Amount - RefundedAmount : Amount.Zero(Amount.Currency);
}
