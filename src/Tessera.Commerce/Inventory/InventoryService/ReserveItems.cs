using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<ReserveItemsResponse> ReserveItems(ReserveItemsRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context, "ReserveItems");
        var violations = new List<(string Field, string Description)>();
        if (request.OrderId.Length is 0 or > InventoryRules.MaxOrderIdLength)
        {
            violations.Add(("order_id", $"is required, 1-{InventoryRules.MaxOrderIdLength} characters"));
        }

        if (request.Lines.Count is 0 or > InventoryRules.MaxLines)
        {
            violations.Add(("lines", $"must hold 1-{InventoryRules.MaxLines} lines"));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Lines.Count; i++)
        {
            var line = request.Lines[i];
            if (InventoryRules.SkuProblem(line.Sku) is { } problem)
            {
                violations.Add(($"lines[{i}].sku", problem));
            }
            else if (!seen.Add(InventoryRules.Fold(line.Sku)))
            {
                violations.Add(($"lines[{i}].sku", $"'{line.Sku}' is on another line already: each SKU once"));
            }

            if (line.Quantity < 1)
            {
                violations.Add(($"lines[{i}].quantity", "must be 1 or more"));
            }
        }

        var ttl = InventoryRules.DefaultTtl;
        if (request.Ttl is not null)
        {
            ttl = request.Ttl.Seconds is >= 0 and <= 86_400 ? request.Ttl.ToTimeSpan() : TimeSpan.MaxValue;
            if (InventoryRules.TtlProblem(ttl) is { } problem)
            {
                violations.Add(("ttl", problem));
            }
        }

        if (violations.Count > 0)
        {
            throw InventoryErrors.Invalid([.. violations]);
        }

        var reservation = await store.ReserveAsync(
            new ReservationRequest(request.OrderId, [.. request.Lines.Select(l => new ReservedLine(l.Sku, l.Quantity))], ttl),
            context.CancellationToken);
        return new ReserveItemsResponse { Reservation = reservation.ToProto() };
    }
}
