using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<ReleaseReservationResponse> ReleaseReservation(ReleaseReservationRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context, "ReleaseReservation");
        var reservation = await store.ReleaseAsync(RequireReservationId(request.ReservationId, "reservation_id"), context.CancellationToken);
        return new ReleaseReservationResponse { Reservation = reservation.ToProto() };
    }
}
