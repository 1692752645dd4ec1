using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.Users;
using Tessera.Users.Filtering;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Inventory;

public sealed partial class InventoryService
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 1000;

    public override async Task<ListProductsResponse> ListProducts(ListProductsRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw InventoryErrors.Invalid(("page_size", "must not be negative (0 means the default of 50)"));
        }

        var pageSize = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        FilterExpression? filter;
        try
        {
            filter = ProductFilter.Parse(request.Filter);
        }
        catch (FilterSyntaxException e)
        {
            throw InventoryErrors.Invalid(("filter", e.Message));
        }

        var order = ParseOrderBy(request.OrderBy);
        var fingerprint = Fingerprint(request.Filter, order);
        var after = PageTokens.Read(request.PageToken, fingerprint) is { } position ? new ProductPosition(position.SortValue, position.Id) : null;
        if (after is not null && order.IsNumeric && !long.TryParse(after.SortValue, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
        {
            throw InventoryErrors.Invalid(("page_token", "is not a token from a previous list with the same filter and order_by"));
        }

        var products = await store.ListProductsAsync(new ProductQuery(filter, order, after, pageSize + 1), context.CancellationToken);
        var response = new ListProductsResponse();
        response.Products.AddRange(products.Take(pageSize).Select(p => p.ToProto()));
        if (products.Count > pageSize)
        {
            var last = products[pageSize - 1];
            response.NextPageToken = PageTokens.Write(new UserPosition(DbInventoryStore.SortValue(last, order.Field), last.Id), fingerprint);
        }

        response.TotalSize = await store.CountProductsAsync(filter, context.CancellationToken);
        return response;
    }

    private static ProductOrder ParseOrderBy(string orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            return ProductOrder.BySku;
        }

        var parts = orderBy.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        ProductOrderField? field = parts[0] switch
        {
            "sku" => ProductOrderField.Sku,
            "name" => ProductOrderField.Name,
            "available" => ProductOrderField.Available,
            "price" => ProductOrderField.Price,
            "create_time" => ProductOrderField.CreateTime,
            _ => null,
        };
        if (field is null || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc")))
        {
            throw InventoryErrors.Invalid(("order_by", "must be one of sku, name, available, price, create_time, optionally followed by ' desc'"));
        }

        return new ProductOrder(field.Value, parts.Length == 2 && parts[1] == "desc");
    }

    private static string Fingerprint(string filter, ProductOrder order) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"products\n{filter}\n{order.Field}\n{order.Descending}")))[..16];
}
