using Tessera.Cli.Editing;

namespace Tessera.Cli.Tests;

public sealed class UserChangesTests
{
    [Fact]
    public void The_mask_names_only_the_options_given()
    {
        var request = new UserChanges(Email: "ada@new.example").ToRequest(7);

        Assert.Equal(7, request.UserId);
        Assert.Equal(["email"], request.UpdateMask.Paths);
        Assert.Equal("ada@new.example", request.User.Email);
        Assert.Equal("", request.User.Username);
    }

    [Fact]
    public void Every_option_maps_to_its_proto_path()
    {
        var request = new UserChanges("ada", "ada@example.com", "Ada L.", Active: true).ToRequest(7);

        Assert.Equal(["username", "email", "full_name", "is_active"], request.UpdateMask.Paths);
    }

    [Fact]
    public void Clearing_a_name_and_deactivating_are_changes_even_though_the_values_are_defaults()
    {
        var request = new UserChanges(FullName: "", Active: false).ToRequest(7);

        Assert.Equal(["full_name", "is_active"], request.UpdateMask.Paths);
        Assert.False(request.User.IsActive);
    }

    [Fact]
    public void The_etag_guards_the_write_without_joining_the_mask()
    {
        var request = new UserChanges(FullName: "Ada").ToRequest(7, "v3");

        Assert.Equal("v3", request.User.Etag);
        Assert.DoesNotContain("etag", request.UpdateMask.Paths);
    }

    [Fact]
    public void No_options_means_nothing_to_update()
    {
        Assert.True(new UserChanges().IsEmpty);
        Assert.False(new UserChanges(Active: false).IsEmpty);
    }
}
