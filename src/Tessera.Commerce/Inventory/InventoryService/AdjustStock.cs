using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<AdjustStockResponse> AdjustStock(AdjustStockRequest request, ServerCallContext context)
    {
        // Tessera's services may only give stock back, once per request_id: a cancelled order returning what it bought.
        var caller = Users.Auth.Caller.From(context);
        if (!caller.IsAdmin && !(caller.IsService && request.Delta > 0 && request.RequestId.Length > 0))
        {
            throw Denied("AdjustStock needs the admin role (Tessera's own services may only return stock: a positive delta with a request_id)");
        }

        var violations = new List<(string Field, string Description)>();
        if (InventoryRules.SkuProblem(request.Sku) is { } sku)
        {
            violations.Add(("sku", sku));
        }

        if (request.Delta == 0 || Math.Abs(request.Delta) > InventoryRules.MaxStock)
        {
            violations.Add(("delta", $"must not be 0, and at most {InventoryRules.MaxStock} either way"));
        }

        if (request.Reason.Length > InventoryRules.MaxReasonLength)
        {
            violations.Add(("reason", $"must be at most {InventoryRules.MaxReasonLength} characters"));
        }

        if (request.RequestId.Length > InventoryRules.MaxRequestIdLength)
        {
            violations.Add(("request_id", $"must be at most {InventoryRules.MaxRequestIdLength} characters"));
        }

        if (violations.Count > 0)
        {
            throw InventoryErrors.Invalid([.. violations]);
        }

        var product = await store.AdjustStockAsync(
            new StockAdjustment(request.Sku, request.Delta, request.Reason, request.RequestId.Length > 0 ? request.RequestId : null),
            context.CancellationToken);
        return new AdjustStockResponse { Product = product.ToProto() };
    }
}
