using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>What a refund may be, decided on the payment as it is inside the refund's transaction.</summary>
public static class RefundRules
{
    /// <summary>Passes when <paramref name="prior"/> (found by the request's request_id) is this same refund, asked again.</summary>
    /// <exception cref="CommerceException">REFUND_MISMATCH: the request_id was used for another refund.</exception>
    public static void RequireSameRefund(RefundRequest request, PaymentRecord payment, RefundRecord prior)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(prior);
        if (prior.PaymentId != payment.PaymentId || (request.Amount is { } amount && amount != prior.Amount))
        {
            throw PaymentErrors.RefundMismatch(request.RequestId!, prior);
        }
    }

    /// <summary>The amount to refund now: the one asked for, or everything refundable when none was.</summary>
    public static Amount Decide(RefundRequest request, PaymentRecord payment)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(payment);
        if (payment.Status is PaymentStatus.Declined or PaymentStatus.Processing)
        {
            throw PaymentErrors.NotCaptured(payment);
        }

        if (request.Amount is { } asked && asked.Currency != payment.Amount.Currency)
        {
            throw PaymentErrors.Invalid("amount.currency_code", $"must be the payment's currency {payment.Amount.Currency}, not {asked.Currency}");
        }

        var refundable = payment.Refundable;
        var amount = request.Amount ?? refundable;
        return refundable.MinorUnits == 0 || amount > refundable
            ? throw PaymentErrors.RefundExceedsCaptured(payment, amount, refundable)
            : amount;
    }
}
