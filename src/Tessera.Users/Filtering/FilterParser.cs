using System.Globalization;
using System.Text;

namespace Tessera.Users.Filtering;

/// <summary>
/// Parses the AIP-160 subset Tessera supports:
/// <c>field OP value</c> with OP one of <c>= != &lt; &lt;= &gt; &gt;= :</c>, combined with AND, OR, NOT (or <c>-</c>),
/// parentheses and implicit AND between adjacent terms. Values are bare words or double-quoted strings.
/// As AIP-160 specifies, OR binds tighter than AND: <c>a AND b OR c</c> means <c>a AND (b OR c)</c>.
/// </summary>
public static class FilterParser
{
    public const int MaxLength = 2048;
    private const int MaxDepth = 32;

    /// <summary>Returns null for an empty filter. The fields are the user's (<see cref="FilterField.All"/>).</summary>
    public static FilterExpression? Parse(string? filter) => Parse(filter, FilterField.All);

    /// <summary>Returns null for an empty filter; <paramref name="fields"/> are the names the filter may use.</summary>
    public static FilterExpression? Parse(string? filter, IReadOnlyDictionary<string, FilterField> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        if (string.IsNullOrWhiteSpace(filter))
        {
            return null;
        }

        if (filter.Length > MaxLength)
        {
            throw new FilterSyntaxException($"the filter is longer than {MaxLength} characters", MaxLength);
        }

        var parser = new Parser(Tokenize(filter), fields);
        var expression = parser.ParseAnd(0);
        parser.ExpectEnd();
        return expression;
    }

    private enum TokenKind
    {
        Word,
        Quoted,
        Operator,
        LeftParen,
        RightParen,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Position);

    private static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c == '(')
            {
                tokens.Add(new Token(TokenKind.LeftParen, "(", i++));
            }
            else if (c == ')')
            {
                tokens.Add(new Token(TokenKind.RightParen, ")", i++));
            }
            else if (c == '"')
            {
                tokens.Add(ReadQuoted(text, ref i));
            }
            else if (c is '=' or ':' or '<' or '>' or '!')
            {
                var start = i++;
                if (i < text.Length && text[i] == '=' && c is '<' or '>' or '!')
                {
                    i++;
                }

                var op = text[start..i];
                if (op == "!")
                {
                    throw new FilterSyntaxException("'!' must be followed by '='", start);
                }

                tokens.Add(new Token(TokenKind.Operator, op, start));
            }
            else
            {
                var start = i;
                while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] is not ('(' or ')' or '"' or '=' or ':' or '<' or '>' or '!'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Word, text[start..i], start));
            }
        }

        tokens.Add(new Token(TokenKind.End, "", text.Length));
        return tokens;
    }

    private static Token ReadQuoted(string text, ref int i)
    {
        var start = i++;
        var value = new StringBuilder();
        while (i < text.Length && text[i] != '"')
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i++]);
        }

        if (i >= text.Length)
        {
            throw new FilterSyntaxException("unterminated string: a closing '\"' is missing", start);
        }

        i++;
        return new Token(TokenKind.Quoted, value.ToString(), start);
    }

    private sealed class Parser(List<Token> tokens, IReadOnlyDictionary<string, FilterField> fields)
    {
        private int index;

        private Token Current => tokens[index];

        public void ExpectEnd()
        {
            if (Current.Kind != TokenKind.End)
            {
                throw new FilterSyntaxException($"unexpected '{Current.Text}'", Current.Position);
            }
        }

        /// <summary>A sequence of OR-terms joined by AND or by juxtaposition.</summary>
        public FilterExpression ParseAnd(int depth)
        {
            var left = ParseOr(depth);
            while (true)
            {
                if (IsKeyword("AND"))
                {
                    index++;
                }
                else if (Current.Kind is TokenKind.End or TokenKind.RightParen)
                {
                    return left;
                }

                left = new AndExpression(left, ParseOr(depth));
            }
        }

        private FilterExpression ParseOr(int depth)
        {
            var left = ParseUnary(depth);
            while (IsKeyword("OR"))
            {
                index++;
                left = new OrExpression(left, ParseUnary(depth));
            }

            return left;
        }

        private FilterExpression ParseUnary(int depth)
        {
            if (depth > MaxDepth)
            {
                throw new FilterSyntaxException($"the filter nests deeper than {MaxDepth} levels", Current.Position);
            }

            if (IsKeyword("NOT") || (Current.Kind == TokenKind.Word && Current.Text == "-"))
            {
                index++;
                return new NotExpression(ParseUnary(depth + 1));
            }

            if (Current.Kind == TokenKind.Word && Current.Text.StartsWith('-') && Current.Text.Length > 1)
            {
                var token = Current;
                tokens[index] = token with { Text = token.Text[1..], Position = token.Position + 1 };
                return new NotExpression(ParseUnary(depth + 1));
            }

            if (Current.Kind == TokenKind.LeftParen)
            {
                var open = Current;
                index++;
                var inner = ParseAnd(depth + 1);
                if (Current.Kind != TokenKind.RightParen)
                {
                    throw new FilterSyntaxException($"the '(' at position {open.Position} is not closed", Current.Position);
                }

                index++;
                return inner;
            }

            return ParseComparison();
        }

        private Comparison ParseComparison()
        {
            var fieldToken = Current;
            if (fieldToken.Kind != TokenKind.Word)
            {
                throw new FilterSyntaxException(
                    fieldToken.Kind == TokenKind.End ? "the filter ends where a field name was expected" : $"expected a field name, found '{fieldToken.Text}'",
                    fieldToken.Position);
            }

            if (!fields.TryGetValue(fieldToken.Text, out var field))
            {
                throw new FilterSyntaxException(
                    $"unknown field '{fieldToken.Text}'; filterable fields are {string.Join(", ", fields.Keys)}",
                    fieldToken.Position);
            }

            index++;
            var opToken = Current;
            if (opToken.Kind != TokenKind.Operator)
            {
                throw new FilterSyntaxException($"expected an operator (=, !=, <, <=, >, >=, :) after '{field.Name}'", opToken.Position);
            }

            index++;
            var op = opToken.Text switch
            {
                "=" => FilterOperator.Equal,
                "!=" => FilterOperator.NotEqual,
                "<" => FilterOperator.Less,
                "<=" => FilterOperator.LessOrEqual,
                ">" => FilterOperator.Greater,
                ">=" => FilterOperator.GreaterOrEqual,
                _ => FilterOperator.Has,
            };

            var valueToken = Current;
            if (valueToken.Kind is not (TokenKind.Word or TokenKind.Quoted))
            {
                throw new FilterSyntaxException($"expected a value after '{field.Name} {opToken.Text}'", valueToken.Position);
            }

            index++;
            return new Comparison(field, op, TypeValue(field, op, valueToken, opToken));
        }

        private static FilterValue TypeValue(FilterField field, FilterOperator op, Token value, Token opToken)
        {
            var ordering = op is FilterOperator.Less or FilterOperator.LessOrEqual or FilterOperator.Greater or FilterOperator.GreaterOrEqual;
            switch (field.Kind)
            {
                case FilterFieldKind.Boolean:
                    if (ordering || op == FilterOperator.Has)
                    {
                        throw new FilterSyntaxException($"'{field.Name}' accepts only = and !=", opToken.Position);
                    }

                    return value.Text switch
                    {
                        "true" => new FilterValue(Boolean: true),
                        "false" => new FilterValue(Boolean: false),
                        _ => throw new FilterSyntaxException($"'{field.Name}' must be compared with true or false, not '{value.Text}'", value.Position),
                    };
                case FilterFieldKind.Timestamp:
                    if (op == FilterOperator.Has)
                    {
                        throw new FilterSyntaxException($"'{field.Name}' does not accept ':'; use =, !=, <, <=, > or >=", opToken.Position);
                    }

                    if (!DateTimeOffset.TryParse(value.Text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time))
                    {
                        throw new FilterSyntaxException($"'{value.Text}' is not an RFC 3339 time such as \"2024-01-31T00:00:00Z\"", value.Position);
                    }

                    return new FilterValue(Timestamp: time.ToUniversalTime());
                case FilterFieldKind.Integer:
                    if (op == FilterOperator.Has)
                    {
                        throw new FilterSyntaxException($"'{field.Name}' does not accept ':'", opToken.Position);
                    }

                    if (!long.TryParse(value.Text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number))
                    {
                        throw new FilterSyntaxException($"'{value.Text}' is not an integer", value.Position);
                    }

                    return new FilterValue(Integer: number);
                case FilterFieldKind.TextList:
                    if (op != FilterOperator.Has)
                    {
                        throw new FilterSyntaxException($"'{field.Name}' is a list: use '{field.Name}:value' to test membership", opToken.Position);
                    }

                    return new FilterValue(Text: value.Text);
                default:
                    if (ordering)
                    {
                        throw new FilterSyntaxException($"'{field.Name}' accepts =, != and ':'", opToken.Position);
                    }

                    return new FilterValue(Text: value.Text);
            }
        }

        private bool IsKeyword(string keyword) => Current.Kind == TokenKind.Word && Current.Text == keyword;
    }
}
