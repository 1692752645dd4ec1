namespace Tessera.Commerce.Inventory;

/// <summary>One line of a reservation: a SKU (as its product spells it once reserved) and how many.</summary>
public sealed record ReservedLine(string Sku, int Quantity);
