namespace Tessera.Users.Filtering;

/// <summary>Evaluates a filter against one user in memory (for watch streams), with the same meaning as the stores' SQL.</summary>
public static class FilterEvaluator
{
    public static bool Matches(FilterExpression? expression, UserRecord user) => expression switch
    {
        null => true,
        AndExpression and => Matches(and.Left, user) && Matches(and.Right, user),
        OrExpression or => Matches(or.Left, user) || Matches(or.Right, user),
        NotExpression not => !Matches(not.Operand, user),
        Comparison comparison => Matches(comparison, user),
        _ => throw new ArgumentOutOfRangeException(nameof(expression)),
    };

    private static bool Matches(Comparison c, UserRecord user)
    {
        switch (c.Field.Kind)
        {
            case FilterFieldKind.Boolean:
                return Compare(user.IsActive == c.Value.Boolean ? 0 : 1, c.Operator);
            case FilterFieldKind.Integer:
                return Compare(user.Id.CompareTo(c.Value.Integer), c.Operator);
            case FilterFieldKind.Timestamp:
                var time = c.Field == FilterField.CreatedAt ? user.CreatedAt : user.UpdatedAt;
                return Compare(time.CompareTo(c.Value.Timestamp), c.Operator);
            case FilterFieldKind.TextList:
                return user.Roles.Any(role => TextMatches(role, c.Value.Text!, c.Operator));
            default:
                var text = c.Field.Name switch
                {
                    "username" => user.Username,
                    "email" => user.Email,
                    "full_name" => user.FullName,
                    _ => user.Nickname ?? "",
                };
                return TextMatches(text, c.Value.Text!, c.Operator);
        }
    }

    /// <summary>The case folding every text comparison uses, in memory and (through stored keys) in the stores.</summary>
    public static string Fold(string text) => text.ToLowerInvariant();

    private static bool TextMatches(string actual, string expected, FilterOperator op) => op switch
    {
        FilterOperator.Equal => Fold(actual) == Fold(expected),
        FilterOperator.NotEqual => Fold(actual) != Fold(expected),
        _ => WildcardMatches(actual, expected),
    };

    private static bool Compare(int order, FilterOperator op) => op switch
    {
        FilterOperator.Equal or FilterOperator.Has => order == 0,
        FilterOperator.NotEqual => order != 0,
        FilterOperator.Less => order < 0,
        FilterOperator.LessOrEqual => order <= 0,
        FilterOperator.Greater => order > 0,
        _ => order >= 0,
    };

    /// <summary>Whole-value, case-insensitive match where <c>*</c> stands for any run of characters.</summary>
    internal static bool WildcardMatches(string text, string pattern)
    {
        text = Fold(text);
        pattern = Fold(pattern);
        var parts = pattern.Split('*');
        if (parts.Length == 1)
        {
            return string.Equals(text, pattern, StringComparison.Ordinal);
        }

        if (!text.StartsWith(parts[0], StringComparison.Ordinal))
        {
            return false;
        }

        var position = parts[0].Length;
        for (var i = 1; i < parts.Length - 1; i++)
        {
            var found = text.IndexOf(parts[i], position, StringComparison.Ordinal);
            if (found < 0)
            {
                return false;
            }

            position = found + parts[i].Length;
        }

        var last = parts[^1];
        return text.Length - position >= last.Length && text.EndsWith(last, StringComparison.Ordinal);
    }
}
