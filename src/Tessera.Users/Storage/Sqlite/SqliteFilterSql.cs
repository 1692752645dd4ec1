using System.Text;
using Microsoft.Data.Sqlite;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>Translates a parsed filter into a parameterised SQLite WHERE clause. Values only ever travel as parameters.</summary>
internal static class SqliteFilterSql
{
    public static string Translate(FilterExpression? expression, SqliteCommand command)
    {
        if (expression is null)
        {
            return "1";
        }

        var sql = new StringBuilder();
        Append(expression, command, sql);
        return sql.ToString();
    }

    private static void Append(FilterExpression expression, SqliteCommand command, StringBuilder sql)
    {
        switch (expression)
        {
            case AndExpression and:
                Binary(and.Left, " AND ", and.Right, command, sql);
                break;
            case OrExpression or:
                Binary(or.Left, " OR ", or.Right, command, sql);
                break;
            case NotExpression not:
                sql.Append("NOT (");
                Append(not.Operand, command, sql);
                sql.Append(')');
                break;
            case Comparison comparison:
                sql.Append(Restriction(comparison, command));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(expression));
        }
    }

    private static void Binary(FilterExpression left, string op, FilterExpression right, SqliteCommand command, StringBuilder sql)
    {
        sql.Append('(');
        Append(left, command, sql);
        sql.Append(op);
        Append(right, command, sql);
        sql.Append(')');
    }

    private static string Restriction(Comparison c, SqliteCommand command)
    {
        var name = $"$f{command.Parameters.Count}";
        switch (c.Field.Kind)
        {
            case FilterFieldKind.Boolean:
                command.Parameters.AddWithValue(name, c.Value.Boolean ? 1 : 0);
                return $"is_active {Operator(c.Operator)} {name}";
            case FilterFieldKind.Integer:
                command.Parameters.AddWithValue(name, c.Value.Integer);
                return $"id {Operator(c.Operator)} {name}";
            case FilterFieldKind.Timestamp:
                command.Parameters.AddWithValue(name, StoreTime.ToMicros(c.Value.Timestamp));
                return $"{c.Field.Name} {Operator(c.Operator)} {name}";
            case FilterFieldKind.TextList:
                // Role names are ASCII by rule, so SQLite's ASCII lower() folds them as Fold does.
                return $"EXISTS (SELECT 1 FROM json_each(users.roles) AS r WHERE {TextTest("lower(r.value)", c, name, command)})";
            default:
                return TextTest($"{c.Field.Name}_key", c, name, command);
        }
    }

    /// <summary>Compares a folded column with the folded value: exact for = and !=, LIKE for ':' with wildcards.</summary>
    private static string TextTest(string column, Comparison c, string name, SqliteCommand command)
    {
        var value = FilterEvaluator.Fold(c.Value.Text!);
        if (c.Operator == FilterOperator.Has && c.Value.HasWildcard)
        {
            command.Parameters.AddWithValue(name, LikePattern(value));
            return $"{column} LIKE {name} ESCAPE '\\'";
        }

        command.Parameters.AddWithValue(name, value);
        return c.Operator == FilterOperator.NotEqual ? $"{column} <> {name}" : $"{column} = {name}";
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
