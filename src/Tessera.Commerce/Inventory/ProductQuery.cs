using Tessera.Users.Filtering;

namespace Tessera.Commerce.Inventory;

/// <summary>The columns ListProducts sorts by.</summary>
public enum ProductOrderField
{
    Sku,
    Name,
    Available,
    Price,
    CreateTime,
}

/// <summary>A sort: the field, then the product id as the tie-break, both in the same direction.</summary>
public sealed record ProductOrder(ProductOrderField Field, bool Descending)
{
    public static ProductOrder BySku { get; } = new(ProductOrderField.Sku, false);

    /// <summary>True when the field's sort value is a number (a page token's position must then parse as one).</summary>
    public bool IsNumeric => Field is ProductOrderField.Available or ProductOrderField.Price or ProductOrderField.CreateTime;
}

/// <summary>Where a page ends: the last product's sort value (text, or a number written invariantly) and its id.</summary>
public sealed record ProductPosition(string SortValue, long Id);

/// <summary>One page of ListProducts: at most <see cref="Limit"/> products after <see cref="After"/>.</summary>
public sealed record ProductQuery(FilterExpression? Filter, ProductOrder Order, ProductPosition? After, int Limit);
