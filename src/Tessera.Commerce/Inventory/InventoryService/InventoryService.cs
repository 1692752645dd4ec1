using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// inventory.v1.InventoryService. One file per RPC in this folder; this one holds what they share. Any signed-in user
/// may read stock and products; reservations are for admins and Tessera's own services; product changes for admins.
/// </summary>
[Authorize]
public sealed partial class InventoryService(IInventoryStore store) : Contracts.Inventory.V1.InventoryService.InventoryServiceBase
{
    private static void RequireAdmin(ServerCallContext context, string what)
    {
        if (!Caller.From(context).IsAdmin)
        {
            throw Denied($"{what} needs the admin role");
        }
    }

    private static void RequireAdminOrService(ServerCallContext context, string what)
    {
        var caller = Caller.From(context);
        if (!caller.IsAdmin && !caller.IsService)
        {
            throw Denied($"{what} is for admins and Tessera's own services");
        }
    }

    private static CommerceException Denied(string message) =>
        new(CommerceFailure.PermissionDenied, InventoryErrors.Domain, "PERMISSION_DENIED", message);

    private static string RequireSku(string sku, string field) =>
        InventoryRules.SkuProblem(sku) is { } problem ? throw InventoryErrors.Invalid((field, problem)) : sku;

    private static string RequireReservationId(string id, string field) =>
        id.Length is > 0 and <= 64 ? id : throw InventoryErrors.Invalid((field, "is required: the reservation_id ReserveItems returned"));
}
