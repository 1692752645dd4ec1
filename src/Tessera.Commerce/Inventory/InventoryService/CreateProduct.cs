using Grpc.Core;
using Tessera.Commerce.Money;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public override async Task<CreateProductResponse> CreateProduct(CreateProductRequest request, ServerCallContext context)
    {
        RequireAdmin(context, "CreateProduct");
        var product = request.Product ?? throw InventoryErrors.Invalid(("product", "is required"));
        var violations = new List<(string Field, string Description)>();
        if (InventoryRules.SkuProblem(product.Sku) is { } sku)
        {
            violations.Add(("product.sku", sku));
        }

        if (InventoryRules.NameProblem(product.Name) is { } name)
        {
            violations.Add(("product.name", name));
        }

        if (MoneyRules.Problem(product.Price) is { } price)
        {
            violations.Add(("product.price", price));
        }

        if (product.Available is < 0 or > InventoryRules.MaxStock)
        {
            violations.Add(("product.available", $"the opening stock must be 0 to {InventoryRules.MaxStock}"));
        }

        if (violations.Count > 0)
        {
            throw InventoryErrors.Invalid([.. violations]);
        }

        var created = await store.CreateProductAsync(
            new NewProduct(product.Sku, product.Name, Amount.FromProto(product.Price), product.Available, product.Active),
            context.CancellationToken);
        return new CreateProductResponse { Product = created.ToProto() };
    }
}
