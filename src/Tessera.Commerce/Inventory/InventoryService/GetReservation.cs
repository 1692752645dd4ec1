using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<GetReservationResponse> GetReservation(GetReservationRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context, "GetReservation");
        ReservationRecord? reservation;
        if (request.ReservationId.Length > 0 == request.OrderId.Length > 0)
        {
            throw InventoryErrors.Invalid(("reservation_id", "give exactly one of reservation_id and order_id"));
        }

        if (request.ReservationId.Length > 0)
        {
            reservation = await store.GetReservationAsync(RequireReservationId(request.ReservationId, "reservation_id"), context.CancellationToken)
                ?? throw InventoryErrors.ReservationNotFound(request.ReservationId);
        }
        else
        {
            reservation = await store.GetReservationByOrderAsync(request.OrderId, context.CancellationToken)
                ?? throw InventoryErrors.ReservationForOrderNotFound(request.OrderId);
        }

        return new GetReservationResponse { Reservation = reservation.ToProto() };
    }
}
