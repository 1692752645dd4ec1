using Microsoft.Data.Sqlite;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>Translates a parsed filter into a parameterised SQLite WHERE clause (the shared part is <see cref="FilterSql"/>).</summary>
internal static class SqliteFilterSql
{
    public static string Translate(FilterExpression? expression, SqliteCommand command) =>
        FilterSql.Translate(expression, "1", comparison => Restriction(comparison, command));

    private static string Restriction(Comparison c, SqliteCommand command)
    {
        string Bind(object value)
        {
            var name = $"$f{command.Parameters.Count}";
            command.Parameters.AddWithValue(name, value);
            return name;
        }

        return c.Field.Kind switch
        {
            FilterFieldKind.Boolean => $"is_active {FilterSql.Operator(c.Operator)} {Bind(c.Value.Boolean ? 1 : 0)}",
            FilterFieldKind.Integer => $"id {FilterSql.Operator(c.Operator)} {Bind(c.Value.Integer)}",
            FilterFieldKind.Timestamp => $"{c.Field.Name} {FilterSql.Operator(c.Operator)} {Bind(StoreTime.ToMicros(c.Value.Timestamp))}",
            // Role names are ASCII by rule, so SQLite's ASCII lower() folds them as Fold does.
            FilterFieldKind.TextList => $"EXISTS (SELECT 1 FROM json_each(users.roles) AS r WHERE {FilterSql.TextTest("lower(r.value)", c, Bind)})",
            _ => FilterSql.TextTest($"{c.Field.Name}_key", c, Bind),
        };
    }
}
