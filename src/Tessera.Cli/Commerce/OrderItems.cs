using System.Globalization;
using Tessera.Contracts.Order.V1;

namespace Tessera.Cli.Commerce;

/// <summary>The <c>--item SKU=QTY</c> values of <c>tessera orders create</c>.</summary>
internal static class OrderItems
{
    /// <summary>One order line a value; a repeated SKU is refused rather than guessed at.</summary>
    public static IReadOnlyList<OrderLine> Parse(IEnumerable<string> items)
    {
        var lines = new List<OrderLine>();
        foreach (var item in items)
        {
            var equals = item.LastIndexOf('=');
            var sku = equals < 0 ? "" : item[..equals].Trim();
            if (sku.Length == 0 || !int.TryParse(item.AsSpan(equals + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var quantity) || quantity <= 0)
            {
                throw new CliException($"'{item}' is not an item: write SKU=QUANTITY with a positive whole quantity, e.g. --item SKU-1=2");
            }

            if (lines.Exists(line => line.Sku == sku))
            {
                throw new CliException($"{sku} is given twice: give each SKU once with its total quantity");
            }

            lines.Add(new OrderLine { Sku = sku, Quantity = quantity });
        }

        return lines;
    }
}
