using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<CheckStockResponse> CheckStock(CheckStockRequest request, ServerCallContext context)
    {
        if (request.Skus.Count is 0 or > InventoryRules.MaxCheckSkus)
        {
            throw InventoryErrors.Invalid(("skus", $"must list 1-{InventoryRules.MaxCheckSkus} SKUs"));
        }

        for (var i = 0; i < request.Skus.Count; i++)
        {
            RequireSku(request.Skus[i], $"skus[{i}]");
        }

        var skus = request.Skus.DistinctBy(InventoryRules.Fold, StringComparer.Ordinal).ToList();
        var found = (await store.GetProductsAsync(skus, context.CancellationToken))
            .ToDictionary(p => InventoryRules.Fold(p.Sku), StringComparer.Ordinal);
        var response = new CheckStockResponse();
        foreach (var sku in skus)
        {
            response.Levels.Add(found.TryGetValue(InventoryRules.Fold(sku), out var product)
                ? new StockLevel { Sku = product.Sku, Found = true, Name = product.Name, Price = product.Price.ToProto(), Available = product.Available, Active = product.Active }
                : new StockLevel { Sku = sku, Found = false });
        }

        return response;
    }
}
