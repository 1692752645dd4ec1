using System.Globalization;
using Spectre.Console;
using Tessera.Cli.Output;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Order.V1;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Cli.Commerce;

/// <summary>Products, stock, orders and payments as tables: one record field by field, a page as rows.</summary>
internal static class CommerceView
{
    public static Table Details(Product product) => Fields(
        ("sku", product.Sku),
        ("name", product.Name),
        ("price", MoneyText.Format(product.Price)),
        ("available", Number(product.Available)),
        ("reserved", Number(product.Reserved)),
        ("active", DisplayText.YesNo(product.Active)),
        ("created", DisplayText.Time(product.CreateTime)),
        ("updated", DisplayText.Time(product.UpdateTime)),
        ("etag", product.Etag));

    public static Table Products(IEnumerable<Product> products) => Rows(
        ["SKU", "Name", "Price", "Available", "Reserved", "Active"],
        products.Select(p => new[] { p.Sku, p.Name, MoneyText.Format(p.Price), Number(p.Available), Number(p.Reserved), DisplayText.YesNo(p.Active) }));

    public static Table Stock(IEnumerable<StockLevel> levels) => Rows(
        ["SKU", "Found", "Name", "Price", "Available", "Active"],
        levels.Select(l => l.Found
            ? new[] { l.Sku, "yes", l.Name, MoneyText.Format(l.Price), Number(l.Available), DisplayText.YesNo(l.Active) }
            : [l.Sku, "no", "", "", "", ""]));

    public static Table Details(Order order)
    {
        var table = Fields(
            ("order id", order.OrderId),
            ("user id", Number(order.UserId)),
            ("state", State(order.State)),
            ("total", MoneyText.Format(order.Total)),
            ("failure reason", order.FailureReason),
            ("failure message", order.FailureMessage),
            ("reservation id", order.ReservationId),
            ("payment id", order.PaymentId),
            ("request id", order.RequestId),
            ("created", DisplayText.Time(order.CreateTime)),
            ("updated", DisplayText.Time(order.UpdateTime)));
        foreach (var line in order.Lines)
        {
            table.AddRow(new Text("line"), new Text($"{line.Sku} x {Number(line.Quantity)} at {MoneyText.Format(line.UnitPrice)} = {MoneyText.Format(line.LineTotal)}"));
        }

        return table;
    }

    public static Table Orders(IEnumerable<Order> orders) => Rows(
        ["Order id", "User", "State", "Total", "Items", "Created"],
        orders.Select(o => new[]
        {
            o.OrderId, Number(o.UserId), State(o.State), MoneyText.Format(o.Total),
            string.Join(", ", o.Lines.Select(l => $"{l.Sku}={Number(l.Quantity)}")), DisplayText.Time(o.CreateTime),
        }));

    public static Table Details(Payment payment)
    {
        var table = Fields(
            ("payment id", payment.PaymentId),
            ("order id", payment.OrderId),
            ("status", payment.Status.ToString().ToUpperInvariant()),
            ("amount", MoneyText.Format(payment.Amount)),
            ("refunded", MoneyText.Format(payment.RefundedAmount)),
            ("decline code", payment.DeclineCode),
            ("processor reference", payment.ProcessorReference),
            ("created", DisplayText.Time(payment.CreateTime)),
            ("updated", DisplayText.Time(payment.UpdateTime)));
        foreach (var refund in payment.Refunds)
        {
            table.AddRow(new Text("refund"), new Text($"{refund.RefundId}: {MoneyText.Format(refund.Amount)} {DisplayText.Time(refund.CreateTime)} {refund.Reason}".TrimEnd()));
        }

        return table;
    }

    /// <summary>An order state as the proto names it without its prefix: CONFIRMED, PENDING_PAYMENT.</summary>
    public static string State(Order.Types.State state) => state switch
    {
        Order.Types.State.Pending => "PENDING",
        Order.Types.State.PendingPayment => "PENDING_PAYMENT",
        Order.Types.State.Confirmed => "CONFIRMED",
        Order.Types.State.Failed => "FAILED",
        Order.Types.State.Cancelled => "CANCELLED",
        _ => "UNSPECIFIED",
    };

    private static string Number(long value) => value.ToString(CultureInfo.InvariantCulture);

    private static Table Fields(params (string Field, string Value)[] fields)
    {
        var table = new Table().AddColumns("Field", "Value");
        foreach (var (field, value) in fields.Where(f => f.Value.Length > 0))
        {
            table.AddRow(new Text(field), new Text(value));
        }

        return table;
    }

    private static Table Rows(string[] headers, IEnumerable<string[]> rows)
    {
        var table = new Table().AddColumns(headers);
        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Text(cell)).ToArray());
        }

        return table;
    }
}
