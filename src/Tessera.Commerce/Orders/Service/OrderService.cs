using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Commerce.Orders.Saga;
using Tessera.Commerce.Orders.Storage;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Service;

/// <summary>
/// order.v1.OrderService. One file per RPC in this folder; this one holds what they share. A user sees and acts on
/// their own orders, an admin on everyone's; anyone else is refused (PERMISSION_DENIED) before learning whether the
/// order exists.
/// </summary>
[Authorize]
public sealed partial class OrderService(IOrderStore store, OrderSaga saga, OrderSagaOptions options, TimeProvider clock)
    : Contracts.Order.V1.OrderService.OrderServiceBase
{
    /// <summary>The order <paramref name="orderId"/> if the caller may see it: PERMISSION_DENIED comes before NOT_FOUND.</summary>
    private async Task<OrderRecord> ReadOwnAsync(string orderId, Caller caller, string what, CancellationToken cancellationToken)
    {
        if (orderId.Length == 0)
        {
            throw OrderErrors.Invalid(("order_id", "is required"));
        }

        var order = await store.GetAsync(orderId, cancellationToken);
        if (!caller.IsAdmin && (order is null || order.UserId != caller.UserId))
        {
            // A stranger's order and no order look the same to a non-admin.
            throw OrderErrors.NotYours(what);
        }

        return order ?? throw OrderErrors.NotFound(orderId);
    }
}
