using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Tessera.Cli.Commerce;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera products ...</c>: list, get, create, update.</summary>
internal static class ProductsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var products = new Command("products", "List, show, create and change products of the inventory");
        products.Subcommands.Add(ListCommand(globals));
        products.Subcommands.Add(GetCommand(globals));
        products.Subcommands.Add(CreateCommand(globals));
        products.Subcommands.Add(UpdateCommand(globals));
        return products;
    }

    internal static Argument<string> SkuArgument() => new("sku") { Description = "The product's SKU" };

    private static Option<string> PriceOption(bool required) => new Option<string>("--price")
    {
        Description = "The price of one item with its ISO 4217 currency, e.g. \"19.99 USD\" (exact: at most the currency's decimal places)",
        Required = required,
    }.CheckedBy(text => MoneyText.Parse(text));

    private static Command ListCommand(GlobalOptions globals)
    {
        var filter = new Option<string?>("--filter") { Description = "AIP-160 filter, e.g. 'name:\"mug*\" AND active = true'" };
        var orderBy = new Option<string?>("--order-by") { Description = "A field to sort by, optionally followed by ' desc'" };
        var pageSize = new Option<int>("--page-size") { Description = "Products per page (0: the server's default)" };
        var pageToken = new Option<string?>("--page-token") { Description = "The next_page_token of the previous page" };
        var command = new Command("list", "Show one page of products, and the token for the next") { filter, orderBy, pageSize, pageToken };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new ListProductsRequest
            {
                Filter = parse.GetValue(filter) ?? "",
                OrderBy = parse.GetValue(orderBy) ?? "",
                PageSize = parse.GetValue(pageSize),
                PageToken = parse.GetValue(pageToken) ?? "",
            };
            var response = await session.Client.Inventory.ListProductsAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (session.Printer.IsData)
            {
                session.Printer.Write(response);
                return ExitCodes.Ok;
            }

            session.Console.Write(CommerceView.Products(response.Products));
            await session.Out.WriteLineAsync($"total: {response.TotalSize}").ConfigureAwait(false);
            await session.Out.WriteLineAsync(response.NextPageToken.Length > 0 ? $"next_page_token: {response.NextPageToken}" : "next_page_token: (last page)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command GetCommand(GlobalOptions globals)
    {
        var sku = SkuArgument();
        var command = new Command("get", "Show one product") { sku };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var response = await session.Client.Inventory.GetProductAsync(new GetProductRequest { Sku = parse.GetRequiredValue(sku) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            Write(session, response.Product);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CreateCommand(GlobalOptions globals)
    {
        var sku = new Option<string>("--sku") { Description = "The new product's SKU", Required = true };
        var name = new Option<string>("--name") { Description = "1-200 characters", Required = true };
        var price = PriceOption(required: true);
        var stock = new Option<long>("--stock") { Description = "Opening stock: items that can be reserved at once (default 0)" };
        var inactive = new Option<bool>("--inactive") { Description = "Create the product inactive (it cannot be ordered until activated)" };
        var command = new Command("create", "Create a product (admins)") { sku, name, price, stock, inactive };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var product = new Product
            {
                Sku = parse.GetRequiredValue(sku),
                Name = parse.GetRequiredValue(name),
                Price = MoneyText.Parse(parse.GetRequiredValue(price)),
                Available = parse.GetValue(stock),
                Active = !parse.GetValue(inactive),
            };
            var response = await session.Client.Inventory.CreateProductAsync(new CreateProductRequest { Product = product }, cancellationToken: cancellationToken).ConfigureAwait(false);
            Write(session, response.Product);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command UpdateCommand(GlobalOptions globals)
    {
        var sku = SkuArgument();
        var name = new Option<string?>("--name") { Description = "A new name" };
        var price = PriceOption(required: false);
        var active = new Option<bool?>("--active") { Description = "Activate (true) or deactivate (false) the product", HelpName = "true|false" };
        var etag = new Option<string?>("--etag") { Description = "Update only if the product's etag still matches (else ABORTED)" };
        var command = new Command("update", "Change the given fields of a product (admins; the update mask is the options given)") { sku, name, price, active, etag };
        command.Validators.Add(result =>
        {
            if (result.GetValue(name) is null && result.GetValue(price) is null && result.GetValue(active) is null)
            {
                result.AddError("nothing to update: give at least one of --name, --price, --active");
            }
        });
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var product = new Product { Sku = parse.GetRequiredValue(sku) };
            var mask = new FieldMask();
            if (parse.GetValue(name) is { } newName)
            {
                product.Name = newName;
                mask.Paths.Add("name");
            }

            if (parse.GetValue(price) is { } newPrice)
            {
                product.Price = MoneyText.Parse(newPrice);
                mask.Paths.Add("price");
            }

            if (parse.GetValue(active) is { } isActive)
            {
                product.Active = isActive;
                mask.Paths.Add("active");
            }

            var request = new UpdateProductRequest { Product = product, UpdateMask = mask, Etag = parse.GetValue(etag) ?? "" };
            var response = await session.Client.Inventory.UpdateProductAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            Write(session, response.Product);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void Write(CliSession session, Product product)
    {
        if (session.Printer.IsData)
        {
            session.Printer.Write(product);
        }
        else
        {
            session.Console.Write(CommerceView.Details(product));
        }
    }
}
