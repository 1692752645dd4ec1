namespace Tessera.Commerce.Inventory;

/// <summary>An AdjustStock: applied once per <see cref="RequestId"/> when one is given.</summary>
public sealed record StockAdjustment(string Sku, long Delta, string Reason, string? RequestId);
