using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>The payment service's refusals, as <see cref="CommerceException"/>s of the domain "payment.v1.tessera".</summary>
public static class PaymentErrors
{
    public const string Domain = "payment.v1.tessera";

    /// <summary>How long a client should wait before retrying a processor that could not be reached.</summary>
    public static readonly TimeSpan ProcessorRetryDelay = TimeSpan.FromSeconds(1);

    public static CommerceException Invalid(string field, string description) => CommerceException.Invalid(Domain, (field, description));

    public static CommerceException NotFound(string what) =>
        new(CommerceFailure.NotFound, Domain, "PAYMENT_NOT_FOUND", $"no payment has {what}");

    public static CommerceException Mismatch(string orderId, Amount first, Amount requested) =>
        new CommerceException(
            CommerceFailure.FailedPrecondition,
            Domain,
            "PAYMENT_MISMATCH",
            $"order {orderId} was already paid with {first}, not {requested}; a retry must send the same amount and currency")
            .With("order_id", orderId).With("amount", first.ToString()).With("requested_amount", requested.ToString());

    public static CommerceException ProcessorUnavailable(string why) =>
        new CommerceException(CommerceFailure.Unavailable, Domain, "PROCESSOR_UNAVAILABLE", $"the payment processor could not be reached ({why}); nothing was charged, retry later")
        {
            RetryDelay = ProcessorRetryDelay,
        };

    public static CommerceException InProgress(string orderId, TimeSpan retryAfter) =>
        new CommerceException(
            CommerceFailure.Aborted,
            Domain,
            "PAYMENT_IN_PROGRESS",
            $"a charge for order {orderId} is still being processed by another call; retry with the same order id to get its result")
        {
            RetryDelay = retryAfter,
        }.With("order_id", orderId);

    public static CommerceException RefundExceedsCaptured(PaymentRecord payment, Amount requested, Amount refundable) =>
        new CommerceException(
            CommerceFailure.FailedPrecondition,
            Domain,
            "REFUND_EXCEEDS_CAPTURED",
            $"payment {payment.PaymentId} captured {payment.Amount} and has {refundable} left to refund; {requested} is more than that")
            .With("payment_id", payment.PaymentId).With("refundable_amount", refundable.ToString());

    public static CommerceException NotCaptured(PaymentRecord payment) =>
        new CommerceException(
            CommerceFailure.FailedPrecondition,
            Domain,
            "PAYMENT_NOT_CAPTURED",
            $"payment {payment.PaymentId} is {payment.Status.ToString().ToUpperInvariant()}, nothing was captured, so there is nothing to refund")
            .With("payment_id", payment.PaymentId);

    public static CommerceException UnknownPaymentMethod(string token)
    {
        var error = new CommerceException(
            CommerceFailure.InvalidArgument,
            Domain,
            "UNKNOWN_PAYMENT_METHOD",
            $"payment_method_token '{token}' is not a payment method this processor knows (test tokens: {string.Join(", ", SimulatedPaymentProcessor.Tokens)})");
        error.FieldViolations.Add(("payment_method_token", "is not a known payment method token"));
        return error;
    }

    /// <summary>REFUND_MISMATCH when a concurrent refund of another payment took the request_id first.</summary>
    public static CommerceException RequestIdTaken(string requestId) =>
        new CommerceException(
            CommerceFailure.FailedPrecondition,
            Domain,
            "REFUND_MISMATCH",
            $"request_id {requestId} was just used for a refund of another payment; use a new request_id for another refund")
            .With("request_id", requestId);

    public static CommerceException RefundMismatch(string requestId, RefundRecord first) =>
        new CommerceException(
            CommerceFailure.FailedPrecondition,
            Domain,
            "REFUND_MISMATCH",
            $"request_id {requestId} was already used for refund {first.RefundId} of {first.Amount} on payment {first.PaymentId}; use a new request_id for another refund")
            .With("request_id", requestId).With("refund_id", first.RefundId);
}
