using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests;

public sealed class GetAndDeleteUserTests(TesseraServer server) : ServerTests(server)
{
    [Fact]
    public async Task Unknown_ids_are_NOT_FOUND_and_bad_ids_INVALID_ARGUMENT()
    {
        var status = await Assertions.FailsWith(StatusCode.NotFound, () => Users.GetUserAsync(new GetUserRequest { UserId = 424242424 }).ResponseAsync);
        Assert.Equal("USER_NOT_FOUND", status.Reason());
        Assert.Contains("424242424", status.Message, StringComparison.Ordinal);

        await Assertions.FailsWith(StatusCode.NotFound, () => Users.DeleteUserAsync(new DeleteUserRequest { UserId = 424242424 }).ResponseAsync);
        await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.GetUserAsync(new GetUserRequest { UserId = -1 }).ResponseAsync);
        await Assertions.FailsWith(StatusCode.InvalidArgument, () => Users.DeleteUserAsync(new DeleteUserRequest()).ResponseAsync);
    }

    [Fact]
    public async Task A_deleted_user_is_gone_and_its_name_is_free_again()
    {
        var user = await CreateAsync();

        await Users.DeleteUserAsync(new DeleteUserRequest { UserId = user.Id });

        await Assertions.FailsWith(StatusCode.NotFound, () => Users.GetUserAsync(new GetUserRequest { UserId = user.Id }).ResponseAsync);
        await Assertions.FailsWith(StatusCode.NotFound, () => Users.DeleteUserAsync(new DeleteUserRequest { UserId = user.Id }).ResponseAsync);
        var again = await CreateAsync(user.Username);
        Assert.NotEqual(user.Id, again.Id);
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_is_ABORTED_and_keeps_the_user()
    {
        var user = await CreateAsync();
        await Users.UpdateUserAsync(new UpdateUserRequest { UserId = user.Id, User = new User { FullName = "changed" } });

        await Assertions.FailsWith(StatusCode.Aborted, () => Users.DeleteUserAsync(new DeleteUserRequest { UserId = user.Id, Etag = user.Etag }).ResponseAsync);

        Assert.Equal("changed", (await Users.GetUserAsync(new GetUserRequest { UserId = user.Id })).FullName);
    }
}
