using Npgsql;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// Translates a parsed filter into a PostgreSQL WHERE clause with positional parameters (appended to the command's);
/// the shared part is <see cref="FilterSql"/>. Text compares the folded <c>*_key</c> columns (collation "C") with the
/// folded value, as SQLite does.
/// </summary>
internal static class PostgresFilterSql
{
    public static string Translate(FilterExpression? expression, NpgsqlParameterCollection parameters) =>
        FilterSql.Translate(expression, "true", comparison => Restriction(comparison, parameters));

    private static string Restriction(Comparison c, NpgsqlParameterCollection parameters) => c.Field.Kind switch
    {
        FilterFieldKind.Boolean => $"is_active {FilterSql.Operator(c.Operator)} {Add(parameters, c.Value.Boolean)}",
        FilterFieldKind.Integer => $"id {FilterSql.Operator(c.Operator)} {Add(parameters, c.Value.Integer)}",
        FilterFieldKind.Timestamp => $"{c.Field.Name} {FilterSql.Operator(c.Operator)} {Add(parameters, StoreTime.ToMicros(c.Value.Timestamp))}",
        // Role names are ASCII by rule, so lower() folds them as Fold does in any locale.
        FilterFieldKind.TextList => $"EXISTS (SELECT 1 FROM unnest(users.roles) AS r(role) WHERE {FilterSql.TextTest("lower(r.role) COLLATE \"C\"", c, value => Add(parameters, value))})",
        _ => FilterSql.TextTest($"{c.Field.Name}_key", c, value => Add(parameters, value)),
    };

    private static string Add<T>(NpgsqlParameterCollection parameters, T value)
    {
        parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return $"${parameters.Count}";
    }
}
