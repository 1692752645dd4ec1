using System.CommandLine;
using System.Globalization;
using Tessera.Cli.Commerce;
using Tessera.Contracts.Order.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera orders ...</c>: create, get, list, cancel, pay.</summary>
internal static class OrdersCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var orders = new Command("orders", "Place, show, list, cancel and pay for orders");
        orders.Subcommands.Add(CreateCommand(globals));
        orders.Subcommands.Add(GetCommand(globals));
        orders.Subcommands.Add(ListCommand(globals));
        orders.Subcommands.Add(CancelCommand(globals));
        orders.Subcommands.Add(PayCommand(globals));
        return orders;
    }

    private static Argument<string> OrderArgument() => new("order-id") { Description = "The order's id" };

    private static Command CreateCommand(GlobalOptions globals)
    {
        var items = new Option<string[]>("--item")
        {
            Description = "An item to order as SKU=QUANTITY; repeat for more items",
            Required = true,
            HelpName = "SKU=QTY",
        };
        items.Validators.Add(result =>
        {
            try
            {
                OrderItems.Parse(result.Tokens.Select(token => token.Value));
            }
            catch (CliException e)
            {
                result.AddError(e.Message);
            }
        });
        var pay = new Option<string?>("--pay") { Description = "A payment-method token to pay with at once (e.g. tok_approve); without it the order waits in PENDING_PAYMENT", HelpName = "TOKEN" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key (default: a new one, printed): a retry with the same key places one order" };
        var userId = new Option<long>("--user-id") { Description = "The buyer (admins only; default: you)" };
        var command = new Command("create", "Place an order: reserve the items, and pay if --pay is given") { items, pay, requestId, userId };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var lines = OrderItems.Parse(parse.GetRequiredValue(items));
            var key = parse.GetValue(requestId) is { Length: > 0 } given ? given : Guid.NewGuid().ToString("N");
            if (parse.GetValue(requestId) is not { Length: > 0 })
            {
                await session.Error.WriteLineAsync($"request id: {key} (to retry this order without placing a second one, add --request-id {key})").ConfigureAwait(false);
            }

            var request = new CreateOrderRequest
            {
                RequestId = key,
                UserId = parse.GetValue(userId),
                Lines = { lines },
                PaymentMethodToken = parse.GetValue(pay) ?? "",
            };
            var response = await session.Client.Orders.CreateOrderAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Write(session, response.Order);
        });
        return command;
    }

    private static Command GetCommand(GlobalOptions globals)
    {
        var order = OrderArgument();
        var command = new Command("get", "Show one order") { order };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var response = await session.Client.Orders.GetOrderAsync(new GetOrderRequest { OrderId = parse.GetRequiredValue(order) }, cancellationToken: cancellationToken).ConfigureAwait(false);
            Write(session, response.Order);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command ListCommand(GlobalOptions globals)
    {
        var userId = new Option<long>("--user-id") { Description = "Whose orders (admins only; default: yours)" };
        var allUsers = new Option<bool>("--all-users") { Description = "Every user's orders (admins only)" };
        var state = new Option<string?>("--state") { Description = "Only orders in this state", HelpName = "PENDING|PENDING_PAYMENT|CONFIRMED|FAILED|CANCELLED" };
        state.AcceptOnlyFromAmong("PENDING", "PENDING_PAYMENT", "CONFIRMED", "FAILED", "CANCELLED");
        var pageSize = new Option<int>("--page-size") { Description = "Orders per page (0: the server's default)" };
        var pageToken = new Option<string?>("--page-token") { Description = "The next_page_token of the previous page" };
        var command = new Command("list", "Show one page of orders, newest first, and the token for the next") { userId, allUsers, state, pageSize, pageToken };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new ListOrdersRequest
            {
                UserId = parse.GetValue(userId),
                AllUsers = parse.GetValue(allUsers),
                State = ParseState(parse.GetValue(state)),
                PageSize = parse.GetValue(pageSize),
                PageToken = parse.GetValue(pageToken) ?? "",
            };
            var response = await session.Client.Orders.ListOrdersAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (session.Printer.IsData)
            {
                session.Printer.Write(response);
                return ExitCodes.Ok;
            }

            session.Console.Write(CommerceView.Orders(response.Orders));
            await session.Out.WriteLineAsync(response.NextPageToken.Length > 0 ? $"next_page_token: {response.NextPageToken}" : "next_page_token: (last page)").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command CancelCommand(GlobalOptions globals)
    {
        var order = OrderArgument();
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var command = new Command("cancel", "Cancel an order: the stock goes back and a payment is refunded") { order, reason };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new CancelOrderRequest { OrderId = parse.GetRequiredValue(order), Reason = parse.GetValue(reason) ?? "" };
            var response = await session.Client.Orders.CancelOrderAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            Write(session, response.Order);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command PayCommand(GlobalOptions globals)
    {
        var order = OrderArgument();
        var token = new Option<string>("--token") { Description = "The payment-method token (e.g. tok_approve)", Required = true };
        var command = new Command("pay", "Pay for an order waiting in PENDING_PAYMENT") { order, token };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new ProcessPaymentRequest { OrderId = parse.GetRequiredValue(order), PaymentMethodToken = parse.GetRequiredValue(token) };
            var response = await session.Client.Orders.ProcessPaymentAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            return Write(session, response.Order);
        });
        return command;
    }

    private static Order.Types.State ParseState(string? state) => state switch
    {
        null => Order.Types.State.Unspecified,
        "PENDING" => Order.Types.State.Pending,
        "PENDING_PAYMENT" => Order.Types.State.PendingPayment,
        "CONFIRMED" => Order.Types.State.Confirmed,
        "FAILED" => Order.Types.State.Failed,
        "CANCELLED" => Order.Types.State.Cancelled,
        _ => throw new CliException(string.Create(CultureInfo.InvariantCulture, $"'{state}' is not an order state")),
    };

    /// <summary>
    /// Prints the order; exits <see cref="ExitCodes.Failed"/> when it ended FAILED (a declined payment is an
    /// answer, not an RPC error, but a script placing an order must be able to tell it did not go through).
    /// </summary>
    private static int Write(CliSession session, Order order)
    {
        if (session.Printer.IsData)
        {
            session.Printer.Write(order);
        }
        else
        {
            session.Console.Write(CommerceView.Details(order));
        }

        if (order.State != Order.Types.State.Failed)
        {
            return ExitCodes.Ok;
        }

        session.Error.WriteLine($"order {order.OrderId} failed: {order.FailureReason} {order.FailureMessage}".TrimEnd());
        return ExitCodes.Failed;
    }
}
