using Tessera.Commerce.Money;

namespace Tessera.Commerce.Inventory;

/// <summary>An UpdateProduct: the fields to change (null keeps one) and, when set, the version it must still be at.</summary>
public sealed record ProductChange(string Sku, string? Name, Amount? Price, bool? Active, long? ExpectedVersion);
