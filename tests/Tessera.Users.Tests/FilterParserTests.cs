using Tessera.Users.Filtering;

namespace Tessera.Users.Tests;

public sealed class FilterParserTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   \t ")]
    public void Empty_filter_means_no_filter(string? filter) => Assert.Null(FilterParser.Parse(filter));

    [Theory]
    [InlineData("id = 42", FilterOperator.Equal)]
    [InlineData("id != 42", FilterOperator.NotEqual)]
    [InlineData("id < 42", FilterOperator.Less)]
    [InlineData("id <= 42", FilterOperator.LessOrEqual)]
    [InlineData("id > 42", FilterOperator.Greater)]
    [InlineData("id >= 42", FilterOperator.GreaterOrEqual)]
    [InlineData("id>=42", FilterOperator.GreaterOrEqual)]
    public void Every_comparison_operator_parses(string filter, FilterOperator op) =>
        Assert.Equal(new Comparison(FilterField.Id, op, new FilterValue(Integer: 42)), FilterParser.Parse(filter));

    [Fact]
    public void Negative_integer_is_a_value_not_a_negation() =>
        Assert.Equal(new Comparison(FilterField.Id, FilterOperator.Greater, new FilterValue(Integer: -3)), FilterParser.Parse("id > -3"));

    [Theory]
    [InlineData("username = alice", "username", FilterOperator.Equal, "alice")]
    [InlineData("username=alice", "username", FilterOperator.Equal, "alice")]
    [InlineData("email != \"bob@example.com\"", "email", FilterOperator.NotEqual, "bob@example.com")]
    [InlineData("full_name:\"Ann *\"", "full_name", FilterOperator.Has, "Ann *")]
    [InlineData("nickname = \"\"", "nickname", FilterOperator.Equal, "")]
    [InlineData("username:ali*", "username", FilterOperator.Has, "ali*")]
    [InlineData("username:*ce", "username", FilterOperator.Has, "*ce")]
    [InlineData("email:\"*@example.*\"", "email", FilterOperator.Has, "*@example.*")]
    [InlineData("roles:admin", "roles", FilterOperator.Has, "admin")]
    [InlineData("roles:\"dev*\"", "roles", FilterOperator.Has, "dev*")]
    public void Text_comparisons_keep_the_value_as_written(string filter, string field, FilterOperator op, string value)
    {
        var comparison = Assert.IsType<Comparison>(FilterParser.Parse(filter));
        Assert.Equal(FilterField.All[field], comparison.Field);
        Assert.Equal(op, comparison.Operator);
        Assert.Equal(value, comparison.Value.Text);
        Assert.Equal(value.Contains('*', StringComparison.Ordinal), comparison.Value.HasWildcard);
    }

    [Fact]
    public void Quoted_strings_unescape_quotes_and_backslashes_and_keep_operators_and_spaces()
    {
        var comparison = Assert.IsType<Comparison>(FilterParser.Parse("""full_name = "Ann \"Hammer\" O\\Neil (a:b = c) AND OR" """));
        Assert.Equal("""Ann "Hammer" O\Neil (a:b = c) AND OR""", comparison.Value.Text);
    }

    [Theory]
    [InlineData("is_active = true", FilterOperator.Equal, true)]
    [InlineData("is_active = false", FilterOperator.Equal, false)]
    [InlineData("is_active != true", FilterOperator.NotEqual, true)]
    [InlineData("is_active = \"false\"", FilterOperator.Equal, false)]
    public void Booleans_parse(string filter, FilterOperator op, bool value) =>
        Assert.Equal(new Comparison(FilterField.IsActive, op, new FilterValue(Boolean: value)), FilterParser.Parse(filter));

    [Theory]
    [InlineData("created_at >= \"2024-01-31T00:00:00Z\"", "created_at", FilterOperator.GreaterOrEqual)]
    [InlineData("created_at < \"2024-01-31T02:00:00+02:00\"", "created_at", FilterOperator.Less)]
    [InlineData("updated_at = \"2024-01-31T00:00:00.000Z\"", "updated_at", FilterOperator.Equal)]
    [InlineData("updated_at != \"2024-01-31\"", "updated_at", FilterOperator.NotEqual)]
    public void Timestamps_parse_to_the_utc_instant(string filter, string field, FilterOperator op)
    {
        var expected = new FilterValue(Timestamp: new DateTimeOffset(2024, 1, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(new Comparison(FilterField.All[field], op, expected), FilterParser.Parse(filter));
    }

    [Fact]
    public void Timestamps_keep_microseconds()
    {
        var comparison = Assert.IsType<Comparison>(FilterParser.Parse("created_at > \"2024-01-31T10:20:30.123456Z\""));
        Assert.Equal(new DateTimeOffset(2024, 1, 31, 10, 20, 30, TimeSpan.Zero).AddTicks(1_234_560), comparison.Value.Timestamp);
        Assert.Equal(TimeSpan.Zero, comparison.Value.Timestamp.Offset);
    }

    [Fact]
    public void And_combines_two_comparisons() =>
        Assert.Equal(new AndExpression(User("a"), Email("b")), FilterParser.Parse("username = a AND email = b"));

    [Fact]
    public void Adjacent_terms_are_an_implicit_and() =>
        Assert.Equal(FilterParser.Parse("username = a AND email = b"), FilterParser.Parse("username = a email = b"));

    [Fact]
    public void Or_combines_two_comparisons() =>
        Assert.Equal(new OrExpression(User("a"), User("b")), FilterParser.Parse("username = a OR username = b"));

    [Theory]
    [InlineData("NOT username = a")]
    [InlineData("-username = a")]
    [InlineData("NOT(username = a)")]
    [InlineData("NOT (username = a)")]
    public void Not_and_minus_negate(string filter) =>
        Assert.Equal(new NotExpression(User("a")), FilterParser.Parse(filter));

    /// <summary>'-' is documented as the short form of NOT, and AIP-160 allows it before a parenthesised group.</summary>
    [Theory]
    [InlineData("-(username = a)")]
    [InlineData("-(username = a OR username = b)")]
    public void Minus_negates_a_parenthesised_group_like_not(string filter) =>
        Assert.Equal(FilterParser.Parse("NOT" + filter[1..]), FilterParser.Parse(filter));

    [Fact]
    public void Double_negation_is_kept() =>
        Assert.Equal(new NotExpression(new NotExpression(User("a"))), FilterParser.Parse("NOT -username = a"));

    [Fact]
    public void Or_binds_tighter_than_and_on_either_side_as_AIP_160_says()
    {
        Assert.Equal(
            new AndExpression(new OrExpression(User("a"), User("b")), User("c")),
            FilterParser.Parse("username = a OR username = b AND username = c"));
        Assert.Equal(
            new AndExpression(User("a"), new OrExpression(User("b"), User("c"))),
            FilterParser.Parse("username = a username = b OR username = c"));
    }

    [Fact]
    public void Not_binds_tighter_than_and_and_or() =>
        Assert.Equal(
            new AndExpression(new NotExpression(User("a")), new OrExpression(User("b"), User("c"))),
            FilterParser.Parse("NOT username = a AND username = b OR username = c"));

    [Fact]
    public void Parentheses_override_precedence() =>
        Assert.Equal(
            new AndExpression(new OrExpression(User("a"), User("b")), new NotExpression(new OrExpression(User("c"), Email("d")))),
            FilterParser.Parse("(username = a OR username = b) AND NOT (username = c OR email = d)"));

    [Fact]
    public void Chains_are_left_associative() =>
        Assert.Equal(
            new OrExpression(new OrExpression(User("a"), User("b")), User("c")),
            FilterParser.Parse("username = a OR username = b OR username = c"));

    [Fact]
    public void Keywords_can_be_values() =>
        Assert.Equal(
            new AndExpression(User("OR"), User("NOT")),
            FilterParser.Parse("username = OR AND username = NOT"));

    [Fact]
    public void Unknown_field_names_the_field_and_lists_the_filterable_fields()
    {
        var error = AssertInvalid("username = a AND nickame = x", 17);
        Assert.Contains("'nickame'", error.Message, StringComparison.Ordinal);
        foreach (var field in FilterField.All.Keys)
        {
            Assert.Contains(field, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Keywords_are_upper_case_only() =>
        Assert.Contains("unknown field 'and'", AssertInvalid("username = a and email = b", 13).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("username =", 10)]
    [InlineData("username = ", 11)]
    [InlineData("(username = ) OR email = b", 12)]
    [InlineData("username = = a", 11)]
    public void Missing_value_is_reported_where_the_value_should_be(string filter, int position) =>
        Assert.Contains("expected a value after 'username ='", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Fact]
    public void Missing_operator_is_reported() =>
        Assert.Contains("expected an operator", AssertInvalid("username alice", 9).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("username = a AND", 16)]
    [InlineData("NOT", 3)]
    public void Filter_ending_early_asks_for_a_field(string filter, int position) =>
        Assert.Contains("ends where a field name was expected", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Fact]
    public void Unterminated_quote_points_at_the_opening_quote() =>
        Assert.Contains("unterminated string", AssertInvalid("full_name = \"Ann O\\\"Neil", 12).Message, StringComparison.Ordinal);

    [Fact]
    public void Unclosed_parenthesis_names_where_it_was_opened()
    {
        var error = AssertInvalid("is_active = true AND (username = a OR email = b", 47);
        Assert.Contains("'(' at position 21 is not closed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Stray_closing_parenthesis_is_rejected() =>
        Assert.Contains("unexpected ')'", AssertInvalid("username = a)", 12).Message, StringComparison.Ordinal);

    [Fact]
    public void Empty_parentheses_are_rejected() =>
        Assert.Contains("expected a field name, found ')'", AssertInvalid("()", 1).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("is_active = yes", 12)]
    [InlineData("is_active = TRUE", 12)]
    [InlineData("is_active = 1", 12)]
    public void Booleans_accept_only_true_and_false(string filter, int position) =>
        Assert.Contains("true or false", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("is_active < true", 10)]
    [InlineData("is_active:true", 9)]
    public void Booleans_accept_only_equality(string filter, int position) =>
        Assert.Contains("accepts only = and !=", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("username > m", 9)]
    [InlineData("email <= m", 6)]
    [InlineData("full_name < m", 10)]
    [InlineData("nickname >= m", 9)]
    public void Ordering_on_a_text_field_is_rejected(string filter, int position) =>
        Assert.Contains("accepts =, != and ':'", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("roles = admin", 6)]
    [InlineData("roles != admin", 6)]
    public void Roles_accept_only_membership(string filter, int position) =>
        Assert.Contains("roles:value", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("created_at > \"yesterday\"", 13)]
    [InlineData("created_at > 2024-01-31T00:00:00Z", 13)]
    public void Bad_timestamps_suggest_the_rfc3339_form(string filter, int position) =>
        Assert.Contains("RFC 3339", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Fact]
    public void Timestamps_reject_has() =>
        Assert.Contains("does not accept ':'", AssertInvalid("created_at:\"2024-01-31T00:00:00Z\"", 10).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("id = abc", 5)]
    [InlineData("id = 1.5", 5)]
    public void Ids_must_be_integers(string filter, int position) =>
        Assert.Contains("is not an integer", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Fact]
    public void Id_rejects_has() =>
        Assert.Contains("does not accept ':'", AssertInvalid("id:5", 2).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("username ! alice", 9)]
    [InlineData("!username = alice", 0)]
    [InlineData("username !", 9)]
    public void Lone_bang_must_be_followed_by_equals(string filter, int position) =>
        Assert.Contains("'!' must be followed by '='", AssertInvalid(filter, position).Message, StringComparison.Ordinal);

    [Fact]
    public void Filters_up_to_the_maximum_length_parse_and_longer_ones_are_rejected()
    {
        var prefix = "full_name = \"";
        var longest = prefix + new string('x', FilterParser.MaxLength - prefix.Length - 1) + "\"";
        Assert.Equal(FilterParser.MaxLength, longest.Length);
        Assert.NotNull(FilterParser.Parse(longest));

        var tooLong = prefix + new string('x', FilterParser.MaxLength - prefix.Length) + "\"";
        var error = AssertInvalid(tooLong, FilterParser.MaxLength);
        Assert.Contains($"longer than {FilterParser.MaxLength} characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Nesting_up_to_32_levels_parses_and_deeper_is_rejected()
    {
        Assert.Equal(User("a"), FilterParser.Parse(new string('(', 32) + "username = a" + new string(')', 32)));

        var error = AssertInvalid(new string('(', 33) + "username = a" + new string(')', 33), 33);
        Assert.Contains("nests deeper than 32 levels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Deep_negation_chains_are_rejected_too()
    {
        var filter = string.Concat(Enumerable.Repeat("NOT ", 40)) + "username = a";
        Assert.Contains("nests deeper", AssertInvalid(filter, 33 * 4).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Error_message_carries_the_position() =>
        Assert.EndsWith("(at position 9)", AssertInvalid("username > m", 9).Message, StringComparison.Ordinal);

    private static FilterSyntaxException AssertInvalid(string filter, int position)
    {
        var error = Assert.Throws<FilterSyntaxException>(() => FilterParser.Parse(filter));
        Assert.Equal(position, error.Position);
        return error;
    }

    private static Comparison User(string name) => new(FilterField.Username, FilterOperator.Equal, new FilterValue(Text: name));

    private static Comparison Email(string email) => new(FilterField.Email, FilterOperator.Equal, new FilterValue(Text: email));
}
