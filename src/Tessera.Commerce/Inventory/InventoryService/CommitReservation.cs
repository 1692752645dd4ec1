using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<CommitReservationResponse> CommitReservation(CommitReservationRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context, "CommitReservation");
        var reservation = await store.CommitAsync(RequireReservationId(request.ReservationId, "reservation_id"), context.CancellationToken);
        return new CommitReservationResponse { Reservation = reservation.ToProto() };
    }
}
