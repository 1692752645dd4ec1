using Tessera.Users.Filtering;

namespace Tessera.Users.Tests;

public sealed class FilterEvaluatorTests
{
    private static readonly DateTimeOffset Created = new(2024, 5, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Updated = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    private static readonly UserRecord Alice = new(
        7, "Alice", "alice@Example.com", "Alice Anderson", true, ["admin", "dev"],
        new Dictionary<string, string> { ["team"] = "core" }, "Ali", Created, Updated, 3);

    [Fact]
    public void No_filter_matches_everyone() => Assert.True(FilterEvaluator.Matches(null, Alice));

    [Theory]
    [InlineData("username = alice", true)]
    [InlineData("username = ALICE", true)]
    [InlineData("username = alicia", false)]
    [InlineData("username != ALICE", false)]
    [InlineData("username != bob", true)]
    [InlineData("email = \"ALICE@example.COM\"", true)]
    [InlineData("full_name = \"alice anderson\"", true)]
    [InlineData("full_name = alice", false)]
    [InlineData("nickname = ali", true)]
    [InlineData("username:alice", true)]
    [InlineData("username:alic", false)]
    public void Text_equality_is_whole_value_and_case_insensitive(string filter, bool expected) => AssertMatch(filter, Alice, expected);

    [Theory]
    [InlineData("username:ali*", true)]
    [InlineData("username:ALI*", true)]
    [InlineData("username:lic*", false)]
    [InlineData("username:*ice", true)]
    [InlineData("username:*ICE", true)]
    [InlineData("username:*lic", false)]
    [InlineData("username:a*e", true)]
    [InlineData("username:A*C*E", true)]
    [InlineData("username:a*x*e", false)]
    [InlineData("username:*l*c*", true)]
    [InlineData("username:*", true)]
    [InlineData("username:alice*", true)]
    [InlineData("username:*alice", true)]
    [InlineData("username:alic*ice", false)]
    [InlineData("email:\"*@example.com\"", true)]
    [InlineData("email:\"*@example\"", false)]
    [InlineData("full_name:\"* Anderson\"", true)]
    [InlineData("full_name:\"*and*\"", true)]
    public void Wildcards_match_at_start_middle_and_end(string filter, bool expected) => AssertMatch(filter, Alice, expected);

    [Theory]
    [InlineData("aba", "ab*ba", false)]
    [InlineData("abba", "ab*ba", true)]
    [InlineData("a", "a*a", false)]
    [InlineData("aa", "a*a", true)]
    [InlineData("abcabc", "*abc", true)]
    [InlineData("xaybyc", "*a*b*c", true)]
    [InlineData("xaybyc", "*a*c*b", false)]
    [InlineData("", "*", true)]
    [InlineData("", "**", true)]
    [InlineData("abc", "a**c", true)]
    public void Wildcard_pieces_may_not_overlap(string text, string pattern, bool expected) =>
        Assert.Equal(expected, FilterEvaluator.WildcardMatches(text, pattern));

    [Fact]
    public void Wildcard_is_literal_with_equals()
    {
        var starred = Alice with { FullName = "Ann*" };
        AssertMatch("full_name = \"Ann*\"", starred, true);
        AssertMatch("full_name = \"A*\"", starred, false);
        AssertMatch("full_name = \"A*\"", Alice, false);
    }

    [Theory]
    [InlineData("roles:admin", true)]
    [InlineData("roles:ADMIN", true)]
    [InlineData("roles:dev", true)]
    [InlineData("roles:ops", false)]
    [InlineData("roles:adm", false)]
    [InlineData("roles:adm*", true)]
    [InlineData("roles:*ev", true)]
    [InlineData("NOT roles:admin", false)]
    [InlineData("roles:admin roles:dev", true)]
    [InlineData("roles:admin roles:ops", false)]
    public void Roles_test_membership(string filter, bool expected) => AssertMatch(filter, Alice, expected);

    [Theory]
    [InlineData("roles:admin", false)]
    [InlineData("roles:*", false)]
    [InlineData("NOT roles:admin", true)]
    public void A_user_without_roles_is_in_no_role(string filter, bool expected) => AssertMatch(filter, Alice with { Roles = [] }, expected);

    [Theory]
    [InlineData("is_active = true", true, true)]
    [InlineData("is_active = true", false, false)]
    [InlineData("is_active = false", false, true)]
    [InlineData("is_active = false", true, false)]
    [InlineData("is_active != true", false, true)]
    [InlineData("is_active != true", true, false)]
    public void Is_active_compares(string filter, bool isActive, bool expected) => AssertMatch(filter, Alice with { IsActive = isActive }, expected);

    [Theory]
    [InlineData("created_at = \"2024-05-01T12:00:00Z\"", true)]
    [InlineData("created_at = \"2024-05-01T14:00:00+02:00\"", true)]
    [InlineData("created_at != \"2024-05-01T12:00:00Z\"", false)]
    [InlineData("created_at < \"2024-05-01T12:00:00Z\"", false)]
    [InlineData("created_at <= \"2024-05-01T12:00:00Z\"", true)]
    [InlineData("created_at > \"2024-05-01T12:00:00Z\"", false)]
    [InlineData("created_at >= \"2024-05-01T12:00:00Z\"", true)]
    [InlineData("created_at > \"2024-05-01T11:59:59.999999Z\"", true)]
    [InlineData("created_at < \"2024-05-01T12:00:00.000001Z\"", true)]
    [InlineData("updated_at > \"2024-05-15T00:00:00Z\"", true)]
    [InlineData("updated_at < \"2024-05-15T00:00:00Z\"", false)]
    public void Timestamps_compare_as_instants(string filter, bool expected) => AssertMatch(filter, Alice, expected);

    [Theory]
    [InlineData("id = 7", true)]
    [InlineData("id != 7", false)]
    [InlineData("id < 7", false)]
    [InlineData("id <= 7", true)]
    [InlineData("id > 6", true)]
    [InlineData("id >= 8", false)]
    public void Ids_compare_as_numbers(string filter, bool expected) => AssertMatch(filter, Alice, expected);

    [Theory]
    [InlineData("nickname = \"\"", true)]
    [InlineData("nickname != \"\"", false)]
    [InlineData("nickname = ali", false)]
    public void A_missing_nickname_compares_as_empty(string filter, bool expected) => AssertMatch(filter, Alice with { Nickname = null }, expected);

    [Theory]
    [InlineData("Alice", true, true)]
    [InlineData("Alice", false, false)]
    [InlineData("Bob", true, true)]
    [InlineData("Bob", false, false)]
    [InlineData("Carol", true, false)]
    public void Or_binds_tighter_than_and(string username, bool isActive, bool expected) =>
        AssertMatch("username = alice OR username = bob AND is_active = true", Alice with { Username = username, IsActive = isActive }, expected);

    [Theory]
    [InlineData("Alice", true, true)]
    [InlineData("Alice", false, false)]
    [InlineData("Bob", false, false)]
    [InlineData("Bob", true, true)]
    public void Parentheses_group_or_before_and(string username, bool isActive, bool expected) =>
        AssertMatch("(username = alice OR username = bob) AND is_active = true", Alice with { Username = username, IsActive = isActive }, expected);

    [Theory]
    [InlineData("Alice", true, true)]
    [InlineData("Bob", true, false)]
    [InlineData("Bob", false, true)]
    public void Not_applies_to_the_next_term_only(string username, bool isActive, bool expected) =>
        AssertMatch("NOT is_active = true OR username = alice", Alice with { Username = username, IsActive = isActive }, expected);

    [Theory]
    [InlineData("Alice", true, false)]
    [InlineData("Bob", false, true)]
    [InlineData("Alice", false, false)]
    public void Minus_negates_like_not(string username, bool isActive, bool expected) =>
        AssertMatch("-username = alice -is_active = true", Alice with { Username = username, IsActive = isActive }, expected);

    private static void AssertMatch(string filter, UserRecord user, bool expected) =>
        Assert.Equal(expected, FilterEvaluator.Matches(FilterParser.Parse(filter), user));
}
