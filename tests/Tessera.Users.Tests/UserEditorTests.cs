using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Validation;

namespace Tessera.Users.Tests;

public sealed class UserEditorTests
{
    private static readonly UserRecord Current = new(
        5, "alice", "alice@example.com", "Alice Anderson", true, ["admin"],
        new Dictionary<string, string> { ["team"] = "core" }, "Ali",
        new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2024, 2, 1, 0, 0, 0, TimeSpan.Zero), 3);

    [Fact]
    public void Without_a_mask_the_populated_fields_are_updated()
    {
        var patch = new User { Username = "bob", Metadata = { ["a"] = "b" }, Nickname = "" };

        Assert.Equal(["metadata", "nickname", "username"], UserEditor.ResolveMask(patch, null).Order(StringComparer.Ordinal));
        Assert.Equal(["metadata", "nickname", "username"], UserEditor.ResolveMask(patch, new FieldMask()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Without_a_mask_every_populated_field_counts()
    {
        var paths = UserEditor.ResolveMask(FullPatch(), null);
        Assert.Equal(["email", "full_name", "metadata", "nickname", "roles", "username"], paths.Order(StringComparer.Ordinal));
    }

    /// <summary>AIP-134: no mask means every field with a non-default value; is_active = true is one.</summary>
    [Fact]
    public void Without_a_mask_is_active_true_counts_as_populated()
    {
        var paths = UserEditor.ResolveMask(new User { FullName = "Alice B", IsActive = true }, null);
        Assert.Contains("is_active", paths);
    }

    [Fact]
    public void An_empty_patch_without_a_mask_is_invalid()
    {
        var error = Assert.Throws<RpcException>(() => UserEditor.ResolveMask(new User { Id = 5, Etag = "v3" }, null));
        var violation = Assert.Single(UserRulesTests.BadRequestOf(error).FieldViolations);
        Assert.Equal("update_mask", violation.Field);
        Assert.Contains("nothing to update", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Star_means_every_writable_field()
    {
        var paths = UserEditor.ResolveMask(new User(), new FieldMask { Paths = { "*" } });
        Assert.Equal(["email", "full_name", "is_active", "metadata", "nickname", "roles", "username"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_explicit_mask_names_exactly_its_fields()
    {
        var paths = UserEditor.ResolveMask(FullPatch(), new FieldMask { Paths = { "email", "is_active" } });
        Assert.Equal(["email", "is_active"], paths.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_unknown_path_is_invalid_and_lists_the_writable_fields()
    {
        var error = Assert.Throws<RpcException>(() => UserEditor.ResolveMask(new User(), new FieldMask { Paths = { "username", "nick" } }));
        var violation = Assert.Single(UserRulesTests.BadRequestOf(error).FieldViolations);
        Assert.Equal("update_mask", violation.Field);
        Assert.Contains("'nick'", violation.Description, StringComparison.Ordinal);
        foreach (var path in UserEditor.WritablePaths)
        {
            Assert.Contains(path, violation.Description, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("id")]
    [InlineData("created_at")]
    [InlineData("updated_at")]
    [InlineData("etag")]
    public void Output_only_paths_are_invalid(string path)
    {
        var error = Assert.Throws<RpcException>(() => UserEditor.ResolveMask(new User { Username = "bob" }, new FieldMask { Paths = { "username", path } }));
        var violation = Assert.Single(UserRulesTests.BadRequestOf(error).FieldViolations);
        Assert.Equal("update_mask", violation.Field);
        Assert.Contains($"'{path}' is output only", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_bad_path_is_reported()
    {
        var error = Assert.Throws<RpcException>(() => UserEditor.ResolveMask(new User(), new FieldMask { Paths = { "id", "bogus", "*" } }));
        Assert.Equal(2, UserRulesTests.BadRequestOf(error).FieldViolations.Count);
    }

    [Fact]
    public void Apply_changes_only_the_named_fields()
    {
        var updated = UserEditor.Apply(Current, FullPatch(), new HashSet<string> { "full_name" });
        Assert.Equal(Current with { FullName = "Bob Brown" }, updated);
    }

    [Theory]
    [InlineData("username")]
    [InlineData("email")]
    [InlineData("full_name")]
    [InlineData("is_active")]
    [InlineData("nickname")]
    public void Apply_sets_each_scalar_field_it_is_told_to(string path)
    {
        var updated = UserEditor.Apply(Current, FullPatch(), new HashSet<string> { path });

        var expected = path switch
        {
            "username" => Current with { Username = "bob" },
            "email" => Current with { Email = "bob@example.com" },
            "full_name" => Current with { FullName = "Bob Brown" },
            "is_active" => Current with { IsActive = false },
            _ => Current with { Nickname = "Bobby" },
        };
        Assert.Equal(expected, updated);
    }

    [Fact]
    public void Apply_replaces_roles_without_duplicates()
    {
        var updated = UserEditor.Apply(Current, new User { Roles = { "dev", "ops", "dev" } }, new HashSet<string> { "roles" });
        Assert.Equal(["dev", "ops"], updated.Roles);
        Assert.Equal(Current with { Roles = updated.Roles }, updated);
    }

    [Fact]
    public void Apply_replaces_metadata_instead_of_merging()
    {
        var updated = UserEditor.Apply(Current, new User { Metadata = { ["floor"] = "3" } }, new HashSet<string> { "metadata" });
        Assert.Equal("3", Assert.Single(updated.Metadata).Value);
        Assert.False(updated.Metadata.ContainsKey("team"));
    }

    [Fact]
    public void A_named_field_missing_from_the_patch_is_cleared()
    {
        var updated = UserEditor.Apply(Current, new User(), new HashSet<string> { "nickname", "roles", "metadata", "is_active" });
        Assert.Null(updated.Nickname);
        Assert.Empty(updated.Roles);
        Assert.Empty(updated.Metadata);
        Assert.False(updated.IsActive);
        Assert.Equal("alice", updated.Username);
    }

    [Fact]
    public void Apply_validates_the_named_fields_and_names_them_under_user()
    {
        var patch = new User { Username = "x", Email = "nope", Roles = { "Bad" }, FullName = "ok" };

        var error = Assert.Throws<RpcException>(() => UserEditor.Apply(Current, patch, new HashSet<string> { "username", "email", "roles", "full_name" }));

        Assert.Equal(["user.username", "user.email", "user.roles"], UserRulesTests.BadRequestOf(error).FieldViolations.Select(v => v.Field));
    }

    [Theory]
    [InlineData("full_name", "user.full_name")]
    [InlineData("metadata", "user.metadata")]
    [InlineData("nickname", "user.nickname")]
    [InlineData("username", "user.username")]
    public void Apply_rejects_each_invalid_field(string path, string field)
    {
        var patch = new User
        {
            Username = "",
            FullName = "bad\u0001",
            Metadata = { ["bad key"] = "v" },
            Nickname = new string('n', 65),
        };

        var error = Assert.Throws<RpcException>(() => UserEditor.Apply(Current, patch, new HashSet<string> { path }));

        Assert.Equal(field, Assert.Single(UserRulesTests.BadRequestOf(error).FieldViolations).Field);
    }

    [Fact]
    public void Invalid_values_in_fields_that_are_not_named_are_ignored()
    {
        var patch = new User { Username = "", Email = "nope", FullName = "Fine Name" };
        Assert.Equal("Fine Name", UserEditor.Apply(Current, patch, new HashSet<string> { "full_name" }).FullName);
    }

    [Fact]
    public void Star_with_a_partial_patch_clears_or_rejects_the_rest()
    {
        var paths = UserEditor.ResolveMask(new User { FullName = "Only Name" }, new FieldMask { Paths = { "*" } });
        var error = Assert.Throws<RpcException>(() => UserEditor.Apply(Current, new User { FullName = "Only Name" }, paths));
        Assert.Equal(["user.username", "user.email"], UserRulesTests.BadRequestOf(error).FieldViolations.Select(v => v.Field));
    }

    private static User FullPatch() => new()
    {
        Id = 5,
        Username = "bob",
        Email = "bob@example.com",
        FullName = "Bob Brown",
        IsActive = false,
        Roles = { "ops" },
        Metadata = { ["floor"] = "3" },
        Nickname = "Bobby",
        Etag = "v3",
    };
}
