using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Payments;

/// <summary>Stored payments and refunds as payment.v1 messages.</summary>
public static class PaymentMapping
{
    public static Payment ToProto(this PaymentRecord payment)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var message = new Payment
        {
            PaymentId = payment.PaymentId,
            OrderId = payment.OrderId,
            Amount = payment.Amount.ToProto(),
            Status = payment.Status switch
            {
                PaymentStatus.Captured => Payment.Types.Status.Captured,
                PaymentStatus.Declined => Payment.Types.Status.Declined,
                PaymentStatus.Refunded => Payment.Types.Status.Refunded,
                _ => Payment.Types.Status.Unspecified,
            },
            DeclineCode = payment.DeclineCode,
            RefundedAmount = payment.RefundedAmount.ToProto(),
            CreateTime = Timestamp.FromDateTimeOffset(payment.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(payment.UpdateTime),
            ProcessorReference = payment.ProcessorReference,
        };
        message.Refunds.AddRange(payment.Refunds.Select(ToProto));
        return message;
    }

    public static Refund ToProto(this RefundRecord refund)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return new Refund
        {
            RefundId = refund.RefundId,
            PaymentId = refund.PaymentId,
            Amount = refund.Amount.ToProto(),
            Reason = refund.Reason,
            CreateTime = Timestamp.FromDateTimeOffset(refund.CreateTime),
        };
    }
}
