using System.Data.Common;
using Tessera.Users.Filtering;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// The ListProducts filter: the shared filter language (AIP-160 subset) over sku, name, available, active and price
/// (minor units), translated by the shared <see cref="FilterSql"/> into a WHERE clause both engines read alike: text
/// compares the folded <c>*_key</c> columns, values travel only as parameters.
/// </summary>
public static class ProductFilter
{
    public static IReadOnlyDictionary<string, FilterField> Fields { get; } = new[]
    {
        new FilterField("sku", FilterFieldKind.Text),
        new FilterField("name", FilterFieldKind.Text),
        new FilterField("available", FilterFieldKind.Integer),
        new FilterField("active", FilterFieldKind.Boolean),
        new FilterField("price", FilterFieldKind.Integer),
    }.ToDictionary(f => f.Name, StringComparer.Ordinal);

    /// <exception cref="FilterSyntaxException">the filter does not parse or names another field.</exception>
    public static FilterExpression? Parse(string? filter) => FilterParser.Parse(filter, Fields);

    internal static string Where(FilterExpression? filter, DbCommand command) =>
        FilterSql.Translate(filter, "1 = 1", c => Restriction(c, command));

    private static string Restriction(Comparison c, DbCommand command)
    {
        string Bind(object value) => DbInventoryStore.Bind(command, $"f{command.Parameters.Count}", value);

        return c.Field.Kind switch
        {
            FilterFieldKind.Boolean => $"active {FilterSql.Operator(c.Operator)} {Bind(c.Value.Boolean)}",
            FilterFieldKind.Integer => $"{(c.Field.Name == "price" ? "price_minor" : c.Field.Name)} {FilterSql.Operator(c.Operator)} {Bind(c.Value.Integer)}",
            _ => FilterSql.TextTest($"{c.Field.Name}_key", c, Bind),
        };
    }
}
