namespace Tessera.Commerce.Orders;

/// <summary>One line of an order: a SKU, how many, and the price of one item in the order's currency (0 until priced).</summary>
public sealed record OrderLineRecord(string Sku, int Quantity, long UnitPriceMinor = 0)
{
    public long TotalMinor => checked(UnitPriceMinor * Quantity);
}
