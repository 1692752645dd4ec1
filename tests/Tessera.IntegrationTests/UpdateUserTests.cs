using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class UpdateUserTests(TesseraServer server) : ServerTests(server)
{
    [Fact]
    public async Task Without_a_mask_the_populated_fields_change_and_the_rest_stay()
    {
        var user = await CreateAsync();

        var updated = await Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = "John Smith" } });

        Assert.Equal("John Smith", updated.FullName);
        Assert.Equal(user.Email, updated.Email);
        Assert.Equal(user.Username, updated.Username);
        Assert.Equal(user.CreatedAt, updated.CreatedAt);
        Assert.NotEqual(user.Etag, updated.Etag);
        Assert.True(updated.UpdatedAt.ToDateTimeOffset() >= user.UpdatedAt.ToDateTimeOffset());
    }

    [Fact]
    public async Task A_mask_names_exactly_what_changes_including_clearing_a_field()
    {
        var user = await CreateAsync();

        var updated = await Users.UpdateUserAsync(new UpdateUserRequest
        {
            UserId = user.Id,
            User = new User { FullName = "", IsActive = false, Email = "ignored@example.com" },
            UpdateMask = new FieldMask { Paths = { "full_name", "is_active" } },
        });

        Assert.Equal("", updated.FullName);
        Assert.False(updated.IsActive);
        Assert.Equal(user.Email, updated.Email);
    }

    [Fact]
    public async Task A_star_mask_replaces_every_writable_field()
    {
        var user = await CreateAsync();
        var replacement = new User { Username = Unique("star"), Email = $"{Unique("star")}@example.com", FullName = "Star", IsActive = true, Roles = { "viewer" } };

        var updated = await Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = replacement, UpdateMask = new FieldMask { Paths = { "*" } } });

        Assert.Equal(replacement.Username, updated.Username);
        Assert.Equal(replacement.Email, updated.Email);
        Assert.Equal(["viewer"], updated.Roles);
        Assert.Equal(user.Id, updated.Id);
    }

    [Theory]
    [InlineData("password")]
    [InlineData("no_such_field")]
    [InlineData("id")]
    [InlineData("created_at")]
    public async Task Unknown_or_output_only_mask_paths_are_INVALID_ARGUMENT_and_change_nothing(string path)
    {
        var user = await CreateAsync();

        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.UpdateUserAsync(new UpdateUserRequest
        {
            UserId = user.Id,
            User = new User { FullName = "changed" },
            UpdateMask = new FieldMask { Paths = { "full_name", path } },
        }).ResponseAsync);

        Assert.Contains("update_mask", status.ViolatedFields());
        Assert.Contains(path, status.Message, StringComparison.Ordinal);
        Assert.Equal(user, await Users.GetUserAsync(new GetUserRequest { UserId = user.Id }));
    }

    [Fact]
    public async Task A_stale_etag_is_ABORTED_and_the_data_stays_intact()
    {
        var user = await CreateAsync();
        var first = await Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = "first", Etag = user.Etag } });

        var status = await Assertions.FailsWith(StatusCode.Aborted, () =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = "second", Etag = user.Etag } }).ResponseAsync);

        Assert.Equal("ETAG_MISMATCH", status.Reason());
        Assert.Equal("first", (await Users.GetUserAsync(new GetUserRequest { UserId = user.Id })).FullName);
        Assert.Equal(first.Etag, (await Users.GetUserAsync(new GetUserRequest { UserId = user.Id })).Etag);
    }

    [Fact]
    public async Task Taking_another_users_name_is_ALREADY_EXISTS()
    {
        var taken = await CreateAsync();
        var user = await CreateAsync();

        await Assertions.FailsWith(StatusCode.AlreadyExists, () =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { Username = taken.Username.ToUpperInvariant() } }).ResponseAsync);

        Assert.Equal(user.Username, (await Users.GetUserAsync(new GetUserRequest { UserId = user.Id })).Username);
    }

    [Fact]
    public async Task Invalid_values_and_unknown_ids_are_rejected()
    {
        var user = await CreateAsync();
        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { Email = "nope" } }).ResponseAsync);
        Assert.Contains("user.email", status.ViolatedFields());

        await Assertions.FailsWith(StatusCode.NotFound, () =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = 987654321, User = new User { FullName = "x" } }).ResponseAsync);
        await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id }).ResponseAsync);
        await Assertions.FailsWith(StatusCode.InvalidArgument, () =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User() }).ResponseAsync);
    }
}
