using Tessera.Commerce.Money;

namespace Tessera.Commerce.Inventory;

/// <summary>What CreateProduct stores: <see cref="Available"/> is the opening stock.</summary>
public sealed record NewProduct(string Sku, string Name, Amount Price, long Available, bool Active);
