using Grpc.Core;
using Tessera.Commerce.Money;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    private static readonly string[] UpdatablePaths = ["name", "price", "active"];

    public override async Task<UpdateProductResponse> UpdateProduct(UpdateProductRequest request, ServerCallContext context)
    {
        RequireAdmin(context, "UpdateProduct");
        var product = request.Product ?? throw InventoryErrors.Invalid(("product", "is required: product.sku names the product"));
        var sku = RequireSku(product.Sku, "product.sku");
        var paths = request.UpdateMask?.Paths.ToList() ?? [];
        if (paths.FirstOrDefault(p => !UpdatablePaths.Contains(p, StringComparer.Ordinal)) is { } unknown)
        {
            throw InventoryErrors.Invalid(("update_mask", $"'{unknown}' cannot be updated; the paths are name, price, active (stock changes go through AdjustStock)"));
        }

        // An empty mask means every updatable field that is set; a set bool is a true one (proto3 has no presence for it).
        bool Changes(string path, bool isSet) => paths.Count == 0 ? isSet : paths.Contains(path, StringComparer.Ordinal);
        var violations = new List<(string Field, string Description)>();
        string? name = null;
        Amount? price = null;
        bool? active = null;
        if (Changes("name", product.Name.Length > 0))
        {
            name = product.Name;
            if (InventoryRules.NameProblem(name) is { } problem)
            {
                violations.Add(("product.name", problem));
            }
        }

        if (Changes("price", product.Price is not null))
        {
            if (MoneyRules.Problem(product.Price) is { } problem)
            {
                violations.Add(("product.price", problem));
            }
            else
            {
                price = Amount.FromProto(product.Price!);
            }
        }

        if (Changes("active", product.Active))
        {
            active = product.Active;
        }

        if (violations.Count > 0)
        {
            throw InventoryErrors.Invalid([.. violations]);
        }

        if (name is null && price is null && active is null)
        {
            throw InventoryErrors.Invalid(("update_mask", "names nothing to change: set name, price or active, or list them in update_mask"));
        }

        long? expected = null;
        if (request.Etag.Length > 0)
        {
            expected = InventoryMapping.VersionOf(request.Etag) ?? throw InventoryErrors.EtagMismatch(sku);
        }

        var updated = await store.UpdateProductAsync(new ProductChange(sku, name, price, active, expected), context.CancellationToken);
        return new UpdateProductResponse { Product = updated.ToProto() };
    }
}
