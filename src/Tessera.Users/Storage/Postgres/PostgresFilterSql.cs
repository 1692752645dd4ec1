using System.Text;
using Npgsql;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// Translates a parsed filter into a PostgreSQL WHERE clause with positional parameters (appended to the command's).
/// Values only ever travel as parameters. Text compares the folded <c>*_key</c> columns (collation "C") with the
/// folded value, as SQLite does, so both engines and <see cref="FilterEvaluator"/> agree.
/// </summary>
internal static class PostgresFilterSql
{
    public static string Translate(FilterExpression? expression, NpgsqlParameterCollection parameters)
    {
        if (expression is null)
        {
            return "true";
        }

        var sql = new StringBuilder();
        Append(expression, parameters, sql);
        return sql.ToString();
    }

    private static void Append(FilterExpression expression, NpgsqlParameterCollection parameters, StringBuilder sql)
    {
        switch (expression)
        {
            case AndExpression and:
                Binary(and.Left, " AND ", and.Right, parameters, sql);
                break;
            case OrExpression or:
                Binary(or.Left, " OR ", or.Right, parameters, sql);
                break;
            case NotExpression not:
                sql.Append("NOT (");
                Append(not.Operand, parameters, sql);
                sql.Append(')');
                break;
            case Comparison comparison:
                sql.Append(Restriction(comparison, parameters));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression));
        }
    }

    private static void Binary(FilterExpression left, string op, FilterExpression right, NpgsqlParameterCollection parameters, StringBuilder sql)
    {
        sql.Append('(');
        Append(left, parameters, sql);
        sql.Append(op);
        Append(right, parameters, sql);
        sql.Append(')');
    }

    private static string Restriction(Comparison c, NpgsqlParameterCollection parameters)
    {
        switch (c.Field.Kind)
        {
            case FilterFieldKind.Boolean:
                return $"is_active {Operator(c.Operator)} {Add(parameters, c.Value.Boolean)}";
            case FilterFieldKind.Integer:
                return $"id {Operator(c.Operator)} {Add(parameters, c.Value.Integer)}";
            case FilterFieldKind.Timestamp:
                return $"{c.Field.Name} {Operator(c.Operator)} {Add(parameters, StoreTime.ToMicros(c.Value.Timestamp))}";
            case FilterFieldKind.TextList:
                // Role names are ASCII by rule, so lower() folds them as Fold does in any locale.
                return $"EXISTS (SELECT 1 FROM unnest(users.roles) AS r(role) WHERE {TextTest("lower(r.role) COLLATE \"C\"", c, parameters)})";
            default:
                return TextTest($"{c.Field.Name}_key", c, parameters);
        }
    }

    /// <summary>Compares a folded column with the folded value: exact for = and !=, LIKE for ':' with wildcards.</summary>
    private static string TextTest(string column, Comparison c, NpgsqlParameterCollection parameters)
    {
        var value = FilterEvaluator.Fold(c.Value.Text!);
        if (c.Operator == FilterOperator.Has && c.Value.HasWildcard)
        {
            return $"{column} LIKE {Add(parameters, LikePattern(value))} ESCAPE '\\'";
        }

        var name = Add(parameters, value);
        return c.Operator == FilterOperator.NotEqual ? $"{column} <> {name}" : $"{column} = {name}";
    }

    private static string Add<T>(NpgsqlParameterCollection parameters, T value)
    {
        parameters.Add(new NpgsqlParameter<T> { TypedValue = value });
        return $"${parameters.Count}";
    }

    private static string Operator(FilterOperator op) => op switch
    {
        FilterOperator.Equal or FilterOperator.Has => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Less => "<",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.Greater => ">",
        _ => ">=",
    };

    private static string LikePattern(string wildcard)
    {
        var pattern = new StringBuilder(wildcard.Length);
        foreach (var ch in wildcard)
        {
            pattern.Append(ch switch
            {
                '*' => "%",
                '%' => "\\%",
                '_' => "\\_",
                '\\' => "\\\\",
                _ => ch.ToString(),
            });
        }

        return pattern.ToString();
    }
}
