using Google.Rpc;
using Grpc.Core;
using Tessera.Contracts.Money.V1;
using Tessera.Contracts.Payment.V1;
using Status = Tessera.Contracts.Payment.V1.Payment.Types.Status;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>payment.v1.PaymentService through the real server (<c>--auth none</c>: every caller is an admin).</summary>
public sealed class PaymentServiceTests(TesseraServer server) : ServerTests(server)
{
    private PaymentService.PaymentServiceClient Payments { get; } = new(server.Channel);

    private static Money Usd(long minorUnits) => new() { CurrencyCode = "USD", MinorUnits = minorUnits };

    private Task<ProcessPaymentResponse> PayAsync(string orderId, string token = "tok_approve", long minorUnits = 1000, DateTime? deadline = null) =>
        Payments.ProcessPaymentAsync(
            new ProcessPaymentRequest { OrderId = orderId, Amount = Usd(minorUnits), PaymentMethodToken = token },
            deadline: deadline ?? DateTime.UtcNow.AddSeconds(20)).ResponseAsync;

    [Fact]
    public async Task A_retry_after_a_deadline_exceeded_slow_charge_returns_the_one_charge()
    {
        var order = Unique("order-");

        var gaveUp = await Assert.ThrowsAsync<RpcException>(() => PayAsync(order, "tok_slow", deadline: DateTime.UtcNow.AddMilliseconds(300)));
        Assert.Equal(StatusCode.DeadlineExceeded, gaveUp.StatusCode);
        var retry = (await PayAsync(order, "tok_slow")).Payment;
        var again = (await PayAsync(order, "tok_approve")).Payment;
        var read = (await Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order })).Payment;

        Assert.Equal(Status.Captured, retry.Status);
        Assert.Equal(retry, again);
        Assert.Equal(retry, read);
        Assert.False(string.IsNullOrEmpty(retry.ProcessorReference));
    }

    [Fact]
    public async Task Declines_are_answers_and_processor_errors_are_unavailable_with_a_retry_delay()
    {
        var declined = (await PayAsync(Unique("order-"), "tok_decline")).Payment;
        var poor = (await PayAsync(Unique("order-"), "tok_insufficient_funds")).Payment;
        var order = Unique("order-");
        var unavailable = await Assertions.FailsWith(StatusCode.Unavailable, () => PayAsync(order, "tok_processor_error"));

        Assert.Equal((Status.Declined, "card_declined"), (declined.Status, declined.DeclineCode));
        Assert.Equal((Status.Declined, "insufficient_funds"), (poor.Status, poor.DeclineCode));
        Assert.Equal("PROCESSOR_UNAVAILABLE", unavailable.Reason());
        Assert.Equal("payment.v1.tessera", unavailable.GetDetail<ErrorInfo>()!.Domain);
        Assert.NotNull(unavailable.GetDetail<RetryInfo>());
        await Assertions.FailsWith(StatusCode.NotFound, () => Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order }).ResponseAsync);
        Assert.Equal(Status.Captured, (await PayAsync(order)).Payment.Status);
    }

    [Fact]
    public async Task Bad_requests_are_refused_with_their_reason_and_change_nothing()
    {
        var order = Unique("order-");
        await PayAsync(order);

        var mismatch = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => PayAsync(order, minorUnits: 999));
        var unknown = await Assertions.FailsWith(StatusCode.InvalidArgument, () => PayAsync(Unique("order-"), "tok_unknown"));
        var noOrder = await Assertions.FailsWith(StatusCode.InvalidArgument, () => PayAsync(""));
        var zero = await Assertions.FailsWith(StatusCode.InvalidArgument, () => PayAsync(Unique("order-"), minorUnits: 0));
        var both = await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order, PaymentId = "pay_x" }).ResponseAsync);
        var missing = await Assertions.FailsWith(StatusCode.NotFound, () => Payments.GetPaymentAsync(new GetPaymentRequest { PaymentId = "pay_none" }).ResponseAsync);

        Assert.Equal("PAYMENT_MISMATCH", mismatch.Reason());
        Assert.Equal("UNKNOWN_PAYMENT_METHOD", unknown.Reason());
        Assert.Equal(["payment_method_token"], unknown.ViolatedFields());
        Assert.Equal(["order_id"], noOrder.ViolatedFields());
        Assert.Equal(["amount"], zero.ViolatedFields());
        Assert.Equal(["payment_id"], both.ViolatedFields());
        Assert.Equal("PAYMENT_NOT_FOUND", missing.Reason());
        Assert.Equal(1000, (await Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order })).Payment.Amount.MinorUnits);
    }

    [Fact]
    public async Task Refunds_never_exceed_the_capture_and_a_full_refund_makes_the_payment_refunded()
    {
        var paid = (await PayAsync(Unique("order-"))).Payment;
        var declined = (await PayAsync(Unique("order-"), "tok_decline")).Payment;

        var partial = new RefundPaymentRequest { PaymentId = paid.PaymentId, Amount = Usd(400), Reason = "broken", RequestId = Unique("r-") };
        var first = await Payments.RefundPaymentAsync(partial);
        var repeated = await Payments.RefundPaymentAsync(partial);
        var reused = await Assertions.FailsWith(StatusCode.FailedPrecondition, () =>
            Payments.RefundPaymentAsync(new RefundPaymentRequest(partial) { Amount = Usd(100) }).ResponseAsync);
        var tooMuch = await Assertions.FailsWith(StatusCode.FailedPrecondition, () =>
            Payments.RefundPaymentAsync(new RefundPaymentRequest { OrderId = paid.OrderId, Amount = Usd(601) }).ResponseAsync);
        var notCaptured = await Assertions.FailsWith(StatusCode.FailedPrecondition, () =>
            Payments.RefundPaymentAsync(new RefundPaymentRequest { PaymentId = declined.PaymentId }).ResponseAsync);
        var rest = await Payments.RefundPaymentAsync(new RefundPaymentRequest { OrderId = paid.OrderId });

        Assert.Equal(first.Refund, repeated.Refund);
        Assert.Equal((Status.Captured, 400L), (first.Payment.Status, first.Payment.RefundedAmount.MinorUnits));
        Assert.Equal("REFUND_MISMATCH", reused.Reason());
        Assert.Equal("REFUND_EXCEEDS_CAPTURED", tooMuch.Reason());
        Assert.Equal("PAYMENT_NOT_CAPTURED", notCaptured.Reason());
        Assert.Equal(600, rest.Refund.Amount.MinorUnits);
        Assert.Equal((Status.Refunded, 1000L, 2), (rest.Payment.Status, rest.Payment.RefundedAmount.MinorUnits, rest.Payment.Refunds.Count));
    }
}
