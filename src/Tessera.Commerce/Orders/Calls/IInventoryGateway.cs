using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary>
/// The inventory.v1 calls the saga makes, each on behalf of <c>buyerId</c> (the service token's subject). Errors are the
/// RpcException of the call, with the inventory service's ErrorInfo. Every one of them is idempotent: ReserveItems on
/// the order id, Commit and Release by nature, AdjustStock on its request_id.
/// </summary>
public interface IInventoryGateway
{
    /// <summary>Price, stock and status of each SKU, in the order given.</summary>
    Task<IReadOnlyList<StockLevel>> CheckStockAsync(long buyerId, IReadOnlyList<string> skus, CancellationToken cancellationToken);

    Task<Reservation> ReserveAsync(long buyerId, string orderId, IReadOnlyList<OrderLineRecord> lines, CancellationToken cancellationToken);

    /// <summary>The reservation made for <paramref name="orderId"/>, or null when there is none.</summary>
    Task<Reservation?> FindReservationAsync(long buyerId, string orderId, CancellationToken cancellationToken);

    Task<Reservation> CommitAsync(long buyerId, string reservationId, CancellationToken cancellationToken);

    Task<Reservation> ReleaseAsync(long buyerId, string reservationId, CancellationToken cancellationToken);

    /// <summary>Puts <paramref name="quantity"/> items of a sold SKU back on sale (AdjustStock), once per <paramref name="requestId"/>.</summary>
    Task ReturnStockAsync(long buyerId, string sku, int quantity, string requestId, string reason, CancellationToken cancellationToken);
}
