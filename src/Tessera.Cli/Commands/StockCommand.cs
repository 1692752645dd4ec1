using System.CommandLine;
using Tessera.Cli.Commerce;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera stock ...</c>: check, adjust.</summary>
internal static class StockCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var stock = new Command("stock", "Check and adjust the stock of products");
        stock.Subcommands.Add(CheckCommand(globals));
        stock.Subcommands.Add(AdjustCommand(globals));
        return stock;
    }

    private static Command CheckCommand(GlobalOptions globals)
    {
        var skus = new Argument<string[]>("sku") { Description = "One or more SKUs", Arity = ArgumentArity.OneOrMore };
        var command = new Command("check", "Show the available stock of the given SKUs (an unknown SKU shows as not found)") { skus };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new CheckStockRequest { Skus = { parse.GetRequiredValue(skus) } };
            var response = await session.Client.Inventory.CheckStockAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (session.Printer.IsData)
            {
                session.Printer.Write(response);
            }
            else
            {
                session.Console.Write(CommerceView.Stock(response.Levels));
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command AdjustCommand(GlobalOptions globals)
    {
        var sku = ProductsCommand.SkuArgument();
        var delta = new Option<long>("--delta") { Description = "Items to add to the available stock; negative takes away (not 0)", Required = true, HelpName = "N" };
        var reason = new Option<string?>("--reason") { Description = "Why, for the record (e.g. \"delivery 42\")" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key: a retried adjustment with the same key is applied once" };
        var command = new Command("adjust", "Add to or take from a product's available stock (admins)") { sku, delta, reason, requestId };
        command.Validators.Add(result =>
        {
            if (result.GetValue(delta) == 0)
            {
                result.AddError("--delta must not be 0");
            }
        });
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new AdjustStockRequest
            {
                Sku = parse.GetRequiredValue(sku),
                Delta = parse.GetValue(delta),
                Reason = parse.GetValue(reason) ?? "",
                RequestId = parse.GetValue(requestId) ?? "",
            };
            var response = await session.Client.Inventory.AdjustStockAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            ProductsCommand.Write(session, response.Product);
            return ExitCodes.Ok;
        });
        return command;
    }
}
