using Grpc.Core;
using Tessera.Contracts.Order.V1;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Service;

public sealed partial class OrderService
{
    public override async Task<GetOrderResponse> GetOrder(GetOrderRequest request, ServerCallContext context)
    {
        var order = await ReadOwnAsync(request.OrderId, Caller.From(context), "reading an order", context.CancellationToken);
        return new GetOrderResponse { Order = order.ToProto() };
    }
}
