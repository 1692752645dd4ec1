using Grpc.Core;
using Tessera.Commerce.Orders.Calls;
using Tessera.Contracts.Order.V1;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Service;

public sealed partial class OrderService
{
    private const int MaxReason = 200;

    public override async Task<CancelOrderResponse> CancelOrder(CancelOrderRequest request, ServerCallContext context)
    {
        IncomingDeadline.Set(context.Deadline);
        var order = await ReadOwnAsync(request.OrderId, Caller.From(context), "cancelling an order", context.CancellationToken);
        if (request.Reason.Length > MaxReason)
        {
            throw OrderErrors.Invalid(("reason", $"must be at most {MaxReason} characters"));
        }

        var cancelled = order.Step switch
        {
            SagaStep.AwaitingPayment or SagaStep.Confirmed => await saga.CancelAsync(order, request.Reason, context.CancellationToken),
            SagaStep.Cancelled => order,
            SagaStep.Failed => throw OrderErrors.WrongState(order, "ORDER_FAILED", "a failed order holds and charges nothing; there is nothing to cancel"),
            _ => throw OrderErrors.WrongState(order, "ORDER_IN_PROGRESS", "the order is still being placed (or cancelled); try again in a few seconds"),
        };
        return new CancelOrderResponse { Order = cancelled.ToProto() };
    }
}
