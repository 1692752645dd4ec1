using Google.Rpc;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Validation;

namespace Tessera.Users.Tests;

public sealed class UserRulesTests
{
    [Fact]
    public void A_valid_request_becomes_the_user_to_store()
    {
        var request = Valid();
        request.Roles.Add(["admin", "dev", "admin"]);

        var user = UserEditor.ToNewUser(request, "the-hash");

        Assert.Equal("alice", user.Username);
        Assert.Equal("alice@example.com", user.Email);
        Assert.Equal("Alice Anderson", user.FullName);
        Assert.Equal("the-hash", user.PasswordHash);
        Assert.Equal(["admin", "dev"], user.Roles);
        Assert.Equal("core", Assert.Single(user.Metadata).Value);
        Assert.Equal("Ali", user.Nickname);
        Assert.True(user.IsActive);
    }

    [Fact]
    public void Nickname_is_null_when_not_sent_and_empty_when_sent_empty()
    {
        var request = Valid();
        request.ClearNickname();
        Assert.Null(UserEditor.ToNewUser(request, null).Nickname);

        request.Nickname = "";
        Assert.Equal("", UserEditor.ToNewUser(request, null).Nickname);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("ABC")]
    [InlineData("a.b_c-d")]
    [InlineData("user123")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Valid_usernames_are_accepted(string username) => AssertValid(r => r.Username = username);

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    [InlineData("al ice")]
    [InlineData("alice!")]
    [InlineData("alice@home")]
    [InlineData("álice")]
    [InlineData("\nalice")]
    public void Invalid_usernames_are_rejected(string username) => AssertInvalid(r => r.Username = username, "username");

    [Fact]
    public void A_username_with_a_trailing_newline_is_rejected() => AssertInvalid(r => r.Username = "alice\n", "username");

    [Theory]
    [InlineData("a@b.co")]
    [InlineData("first.last+tag@sub.example.com")]
    [InlineData("UPPER@EXAMPLE.COM")]
    [InlineData("x@my-host.example")]
    public void Valid_emails_are_accepted(string email) => AssertValid(r => r.Email = email);

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("a@")]
    [InlineData("@example.com")]
    [InlineData("a@localhost")]
    [InlineData("a b@example.com")]
    [InlineData("a@@example.com")]
    [InlineData("a@-example.com")]
    [InlineData("a@example-.com")]
    [InlineData("a@example..com")]
    [InlineData("<a>@example.com")]
    [InlineData("a,b@example.com")]
    [InlineData("a@exa_mple.com")]
    public void Invalid_emails_are_rejected(string email) => AssertInvalid(r => r.Email = email, "email");

    [Fact]
    public void An_email_with_a_trailing_newline_is_rejected() => AssertInvalid(r => r.Email = "alice@example.com\n", "email");

    [Fact]
    public void Email_local_part_may_have_64_characters_but_not_65()
    {
        AssertValid(r => r.Email = new string('a', 64) + "@example.com");
        AssertInvalid(r => r.Email = new string('a', 65) + "@example.com", "email");
    }

    [Fact]
    public void Email_may_have_254_characters_but_not_255()
    {
        var local = new string('a', 64) + "@";
        AssertValid(r => r.Email = local + new string('d', 254 - local.Length - 4) + ".com");
        AssertInvalid(r => r.Email = local + new string('d', 255 - local.Length - 4) + ".com", "email");
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(200, true)]
    [InlineData(201, false)]
    public void Full_name_may_have_up_to_200_characters(int length, bool valid) =>
        AssertRule(r => r.FullName = new string('n', length), "full_name", valid);

    [Theory]
    [InlineData("Zoë O'Brien-Smith")]
    [InlineData("李小龍")]
    public void Full_names_may_use_any_script(string fullName) => AssertValid(r => r.FullName = fullName);

    [Theory]
    [InlineData("Ann\tLee")]
    [InlineData("Ann\nLee")]
    [InlineData("Ann\0")]
    [InlineData("Ann\u007f")]
    public void Full_name_rejects_control_characters(string fullName) => AssertInvalid(r => r.FullName = fullName, "full_name");

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, false)]
    [InlineData(7, false)]
    [InlineData(8, true)]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void Password_is_optional_but_8_to_128_characters_when_given(int length, bool valid) =>
        AssertRule(r => r.Password = new string('p', length), "password", valid);

    [Theory]
    [InlineData("admin")]
    [InlineData("dev-ops")]
    [InlineData("qa_1")]
    [InlineData("a")]
    [InlineData("abcdefghijklmnopqrstuvwxyz012345")]
    public void Valid_roles_are_accepted(string role) => AssertValid(r => r.Roles.Add(role));

    [Theory]
    [InlineData("")]
    [InlineData("Admin")]
    [InlineData("1admin")]
    [InlineData("-admin")]
    [InlineData("site admin")]
    [InlineData("admin!")]
    [InlineData("abcdefghijklmnopqrstuvwxyz0123456")]
    public void Invalid_roles_are_rejected(string role) => AssertInvalid(r => r.Roles.Add(role), "roles");

    [Fact]
    public void The_service_role_cannot_be_given_to_a_user() => AssertInvalid(r => r.Roles.Add("service"), "roles");

    [Fact]
    public void A_role_with_a_trailing_newline_is_rejected() => AssertInvalid(r => r.Roles.Add("admin\n"), "roles");

    [Fact]
    public void A_user_may_have_16_roles_but_not_17()
    {
        AssertValid(r => r.Roles.Add(Enumerable.Range(0, 16).Select(i => $"role{i}")));
        AssertInvalid(r => r.Roles.Add(Enumerable.Range(0, 17).Select(i => $"role{i}")), "roles");
    }

    [Fact]
    public void Every_bad_role_is_reported()
    {
        var request = Valid();
        request.Roles.Add(["Bad", "ok", "also bad"]);
        var violations = Violations(request);
        Assert.Equal(["roles", "roles"], violations.Select(v => v.Field));
        Assert.Contains("'Bad'", violations[0].Description, StringComparison.Ordinal);
        Assert.Contains("'also bad'", violations[1].Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("k")]
    [InlineData("app.theme_color-2")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789a")]
    public void Valid_metadata_keys_are_accepted(string key) => AssertValid(r => r.Metadata[key] = "v");

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("key/path")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789ab")]
    public void Invalid_metadata_keys_are_rejected(string key) => AssertInvalid(r => r.Metadata[key] = "v", "metadata");

    [Fact]
    public void A_metadata_key_with_a_trailing_newline_is_rejected() => AssertInvalid(r => r.Metadata["key\n"] = "v", "metadata");

    [Theory]
    [InlineData(0, true)]
    [InlineData(256, true)]
    [InlineData(257, false)]
    public void Metadata_values_may_have_up_to_256_characters(int length, bool valid) =>
        AssertRule(r => r.Metadata["note"] = new string('v', length), "metadata", valid);

    [Fact]
    public void A_user_may_have_16_metadata_entries_but_not_17()
    {
        AssertValid(r =>
        {
            r.Metadata.Clear();
            r.Metadata.Add(Enumerable.Range(0, 16).ToDictionary(i => $"k{i}", i => "v"));
        });
        AssertInvalid(r =>
        {
            r.Metadata.Clear();
            r.Metadata.Add(Enumerable.Range(0, 17).ToDictionary(i => $"k{i}", i => "v"));
        }, "metadata");
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Nickname_may_have_up_to_64_characters(int length, bool valid) =>
        AssertRule(r => r.Nickname = new string('n', length), "nickname", valid);

    [Fact]
    public void Nickname_rejects_control_characters() => AssertInvalid(r => r.Nickname = "Al\u0007i", "nickname");

    [Theory]
    [InlineData(128, true)]
    [InlineData(129, false)]
    public void Request_id_may_have_up_to_128_characters(int length, bool valid) =>
        AssertRule(r => r.RequestId = new string('r', length), "request_id", valid);

    [Fact]
    public void Every_violation_is_reported_at_once()
    {
        var request = Valid();
        request.Username = "";
        request.Email = "nope";
        request.FullName = new string('n', 201);
        request.Password = "short";
        request.Roles.Add("Bad Role");
        request.Metadata["bad key"] = "v";
        request.Nickname = new string('n', 65);

        var error = Assert.Throws<RpcException>(() => UserEditor.ToNewUser(request, null));

        string[] fields = ["username", "email", "full_name", "password", "roles", "metadata", "nickname"];
        Assert.Equal(fields, BadRequestOf(error).FieldViolations.Select(v => v.Field));
        foreach (var field in fields)
        {
            Assert.Contains(field + ":", error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Violations_carry_error_info_and_a_readable_message()
    {
        var request = Valid();
        request.Username = "ab";

        var error = Assert.Throws<RpcException>(() => UserEditor.ValidateCreate(request));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("username: must be 3-32 characters", error.Status.Detail, StringComparison.Ordinal);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>();
        Assert.NotNull(info);
        Assert.Equal("INVALID_ARGUMENT", info.Reason);
        Assert.Equal(RpcErrors.Domain, info.Domain);
        var violation = Assert.Single(BadRequestOf(error).FieldViolations);
        Assert.Equal("username", violation.Field);
        Assert.Contains("3-32", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_create_accepts_a_valid_request() => UserEditor.ValidateCreate(Valid());

    [Fact]
    public void Rules_name_the_field_they_are_told_to()
    {
        var violations = new List<FieldViolation>();
        UserRules.Username("x", violations, "user.username");
        UserRules.Email("x", violations, "user.email");
        UserRules.FullName("\0", violations, "user.full_name");
        UserRules.Roles(["X"], violations, "user.roles");
        UserRules.Metadata(new Dictionary<string, string> { [""] = "" }, violations, "user.metadata");
        UserRules.Nickname("\0", violations, "user.nickname");

        Assert.Equal(["user.username", "user.email", "user.full_name", "user.roles", "user.metadata", "user.nickname"], violations.Select(v => v.Field));
    }

    internal static BadRequest BadRequestOf(RpcException error)
    {
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var badRequest = error.GetRpcStatus()!.GetDetail<BadRequest>();
        Assert.NotNull(badRequest);
        return badRequest;
    }

    private static CreateUserRequest Valid() => new()
    {
        Username = "alice",
        Email = "alice@example.com",
        FullName = "Alice Anderson",
        Password = "correct horse battery",
        Metadata = { ["team"] = "core" },
        Nickname = "Ali",
        RequestId = "req-1",
    };

    private static List<BadRequest.Types.FieldViolation> Violations(CreateUserRequest request) =>
        [.. BadRequestOf(Assert.Throws<RpcException>(() => UserEditor.ToNewUser(request, null))).FieldViolations];

    private static void AssertRule(Action<CreateUserRequest> change, string field, bool valid)
    {
        if (valid)
        {
            AssertValid(change);
        }
        else
        {
            AssertInvalid(change, field);
        }
    }

    private static void AssertValid(Action<CreateUserRequest> change)
    {
        var request = Valid();
        change(request);
        Assert.NotNull(UserEditor.ToNewUser(request, null));
    }

    /// <summary>The change makes the request invalid in exactly <paramref name="field"/>, and only there.</summary>
    private static void AssertInvalid(Action<CreateUserRequest> change, string field)
    {
        var request = Valid();
        change(request);
        var violations = Violations(request);
        Assert.NotEmpty(violations);
        Assert.All(violations, v =>
        {
            Assert.Equal(field, v.Field);
            Assert.False(string.IsNullOrWhiteSpace(v.Description));
        });
    }
}
