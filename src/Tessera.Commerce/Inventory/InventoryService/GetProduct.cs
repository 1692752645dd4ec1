using Grpc.Core;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<GetProductResponse> GetProduct(GetProductRequest request, ServerCallContext context)
    {
        var sku = RequireSku(request.Sku, "sku");
        var product = await store.GetProductAsync(sku, context.CancellationToken) ?? throw InventoryErrors.ProductNotFound(sku);
        return new GetProductResponse { Product = product.ToProto() };
    }
}
