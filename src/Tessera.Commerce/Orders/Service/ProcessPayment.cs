using Grpc.Core;
using Tessera.Commerce.Orders.Calls;
using Tessera.Contracts.Order.V1;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Service;

public sealed partial class OrderService
{
    public override async Task<ProcessPaymentResponse> ProcessPayment(ProcessPaymentRequest request, ServerCallContext context)
    {
        IncomingDeadline.Set(context.Deadline);
        var order = await ReadOwnAsync(request.OrderId, Caller.From(context), "paying for an order", context.CancellationToken);
        if (request.PaymentMethodToken.Length is 0 or > MaxToken)
        {
            throw OrderErrors.Invalid(("payment_method_token", $"is required, 1-{MaxToken} characters"));
        }

        switch (order.Step)
        {
            case SagaStep.AwaitingPayment:
                var paid = await saga.PayAsync(order, request.PaymentMethodToken, context.CancellationToken);
                return new ProcessPaymentResponse { Order = paid.ToProto() };
            case SagaStep.Confirmed:
                // Paid already (a retried call): the order as it is.
                return new ProcessPaymentResponse { Order = order.ToProto() };
            default:
                throw OrderErrors.WrongState(order, "ORDER_NOT_PENDING_PAYMENT", "only an order left PENDING_PAYMENT (placed without a payment method) can be paid for");
        }
    }
}
