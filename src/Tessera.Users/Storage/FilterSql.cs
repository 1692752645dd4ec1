using System.Text;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage;

/// <summary>
/// What every engine's filter translation shares: the boolean structure of the WHERE clause, the comparison operators,
/// and text tests on the folded <c>*_key</c> columns (exact for = and !=, LIKE for ':' with wildcards), so both engines
/// and <see cref="FilterEvaluator"/> agree. An engine supplies how one comparison reads in its SQL and how a value is
/// bound (values only ever travel as parameters).
/// </summary>
internal static class FilterSql
{
    /// <summary>The WHERE clause for <paramref name="expression"/>; <paramref name="always"/> (the engine's true) when there is none.</summary>
    public static string Translate(FilterExpression? expression, string always, Func<Comparison, string> restriction)
    {
        if (expression is null)
        {
            return always;
        }

        var sql = new StringBuilder();
        Append(expression, restriction, sql);
        return sql.ToString();
    }

    public static string Operator(FilterOperator op) => op switch
    {
        FilterOperator.Equal or FilterOperator.Has => "=",
        FilterOperator.NotEqual => "<>",
        FilterOperator.Less => "<",
        FilterOperator.LessOrEqual => "<=",
        FilterOperator.Greater => ">",
        _ => ">=",
    };

    /// <summary>Compares a folded column with the folded value; <paramref name="bind"/> adds a parameter and returns its placeholder.</summary>
    public static string TextTest(string column, Comparison c, Func<string, string> bind)
    {
        var value = FilterEvaluator.Fold(c.Value.Text!);
        if (c.Operator == FilterOperator.Has && c.Value.HasWildcard)
        {
            return $"{column} LIKE {bind(LikePattern(value))} ESCAPE '\\'";
        }

        var name = bind(value);
        return c.Operator == FilterOperator.NotEqual ? $"{column} <> {name}" : $"{column} = {name}";
    }

    private static void Append(FilterExpression expression, Func<Comparison, string> restriction, StringBuilder sql)
    {
        switch (expression)
        {
            case AndExpression and:
                Binary(and.Left, " AND ", and.Right, restriction, sql);
                break;
            case OrExpression or:
                Binary(or.Left, " OR ", or.Right, restriction, sql);
                break;
            case NotExpression not:
                sql.Append("NOT (");
                Append(not.Operand, restriction, sql);
                sql.Append(')');
                break;
            case Comparison comparison:
                sql.Append(restriction(comparison));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression));
        }
    }

    private static void Binary(FilterExpression left, string op, FilterExpression right, Func<Comparison, string> restriction, StringBuilder sql)
    {
        sql.Append('(');
        Append(left, restriction, sql);
        sql.Append(op);
        Append(right, restriction, sql);
        sql.Append(')');
    }

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
