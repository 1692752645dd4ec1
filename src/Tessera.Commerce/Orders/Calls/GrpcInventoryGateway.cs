using Grpc.Core;
using Grpc.Net.ClientFactory;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary><see cref="IInventoryGateway"/> over inventory.v1.InventoryService.</summary>
public sealed class GrpcInventoryGateway(GrpcClientFactory clients, ServiceIdentity identity) : IInventoryGateway
{
    // Made per call from the factory (cheap; the channel is shared), so nothing resolves an address before the server listens.
    private InventoryService.InventoryServiceClient Client => clients.CreateClient<InventoryService.InventoryServiceClient>(typeof(InventoryService.InventoryServiceClient).Name);

    public async Task<IReadOnlyList<StockLevel>> CheckStockAsync(long buyerId, IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        var response = await Client.CheckStockAsync(new CheckStockRequest { Skus = { skus } }, Options(buyerId, cancellationToken));
        return response.Levels;
    }

    public async Task<Reservation> ReserveAsync(long buyerId, string orderId, IReadOnlyList<OrderLineRecord> lines, CancellationToken cancellationToken)
    {
        var request = new ReserveItemsRequest { OrderId = orderId };
        request.Lines.AddRange(lines.Select(line => new ReservationLine { Sku = line.Sku, Quantity = line.Quantity }));
        return (await Client.ReserveItemsAsync(request, Options(buyerId, cancellationToken))).Reservation;
    }

    public async Task<Reservation?> FindReservationAsync(long buyerId, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return (await Client.GetReservationAsync(new GetReservationRequest { OrderId = orderId }, Options(buyerId, cancellationToken))).Reservation;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Reservation> CommitAsync(long buyerId, string reservationId, CancellationToken cancellationToken) =>
        (await Client.CommitReservationAsync(new CommitReservationRequest { ReservationId = reservationId }, Options(buyerId, cancellationToken))).Reservation;

    public async Task<Reservation> ReleaseAsync(long buyerId, string reservationId, CancellationToken cancellationToken) =>
        (await Client.ReleaseReservationAsync(new ReleaseReservationRequest { ReservationId = reservationId }, Options(buyerId, cancellationToken))).Reservation;

    public async Task ReturnStockAsync(long buyerId, string sku, int quantity, string requestId, string reason, CancellationToken cancellationToken) =>
        await Client.AdjustStockAsync(
            new AdjustStockRequest { Sku = sku, Delta = quantity, RequestId = requestId, Reason = reason }, Options(buyerId, cancellationToken));

    private CallOptions Options(long buyerId, CancellationToken cancellationToken) => identity.For(buyerId, PeerCalls.Deadline(), cancellationToken);
}
