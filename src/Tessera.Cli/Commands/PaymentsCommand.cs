using System.CommandLine;
using Tessera.Cli.Commerce;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera payments ...</c>: get, refund.</summary>
internal static class PaymentsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var payments = new Command("payments", "Show and refund payments (admins)");
        payments.Subcommands.Add(GetCommand(globals));
        payments.Subcommands.Add(RefundCommand(globals));
        return payments;
    }

    private static Argument<string?> PaymentArgument() => new("payment-id") { Description = "The payment's id (or give --order)", Arity = ArgumentArity.ZeroOrOne };

    private static Option<string?> OrderOption() => new("--order") { Description = "The order whose payment it is, instead of the payment id" };

    private static void RequireOne(Command command, Argument<string?> payment, Option<string?> order) =>
        command.Validators.Add(result =>
        {
            if ((result.GetValue(payment) is null) == (result.GetValue(order) is null))
            {
                result.AddError("give either a payment id or --order ORDER_ID");
            }
        });

    private static Command GetCommand(GlobalOptions globals)
    {
        var payment = PaymentArgument();
        var order = OrderOption();
        var command = new Command("get", "Show one payment with its refunds") { payment, order };
        RequireOne(command, payment, order);
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new GetPaymentRequest { PaymentId = parse.GetValue(payment) ?? "", OrderId = parse.GetValue(order) ?? "" };
            var response = await session.Client.Payments.GetPaymentAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            Write(session, response.Payment);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command RefundCommand(GlobalOptions globals)
    {
        var payment = PaymentArgument();
        var order = OrderOption();
        var amount = new Option<string?>("--amount") { Description = "How much, e.g. \"5.00 USD\" (default: everything not yet refunded)" }
            .CheckedBy(text => MoneyText.Parse(text));
        var reason = new Option<string?>("--reason") { Description = "Why, for the record" };
        var requestId = new Option<string?>("--request-id") { Description = "Idempotency key: a retried refund with the same key refunds once" };
        var command = new Command("refund", "Refund a payment, in full or in part") { payment, order, amount, reason, requestId };
        RequireOne(command, payment, order);
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new RefundPaymentRequest
            {
                PaymentId = parse.GetValue(payment) ?? "",
                OrderId = parse.GetValue(order) ?? "",
                Amount = parse.GetValue(amount) is { } text ? MoneyText.Parse(text) : null,
                Reason = parse.GetValue(reason) ?? "",
                RequestId = parse.GetValue(requestId) ?? "",
            };
            var response = await session.Client.Payments.RefundPaymentAsync(request, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (!session.Printer.IsData)
            {
                await session.Out.WriteLineAsync($"refunded {MoneyText.Format(response.Refund.Amount)} ({response.Refund.RefundId})").ConfigureAwait(false);
            }

            Write(session, response.Payment);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void Write(CliSession session, Payment payment)
    {
        if (session.Printer.IsData)
        {
            session.Printer.Write(payment);
        }
        else
        {
            session.Console.Write(CommerceView.Details(payment));
        }
    }
}
