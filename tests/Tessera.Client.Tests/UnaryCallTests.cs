using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Client.Tests;

/// <summary>The unary operations, async and blocking: what is sent, what comes back, what is thrown.</summary>
public sealed class UnaryCallTests
{
    [Fact]
    public async Task GetUserAsync_and_GetUser_return_the_user()
    {
        var (client, invoker) = TestUsers.Client();

        var viaAsync = await client.GetUserAsync(7);
        var viaBlocking = client.GetUser(7);

        Assert.Equal(TestUsers.Ada, viaAsync);
        Assert.Equal(TestUsers.Ada, viaBlocking);
        Assert.Equal([false, true], invoker.Calls.Select(c => c.Blocking));
        Assert.All(invoker.Calls, call => Assert.Equal(7, ((GetUserRequest)call.Request!).UserId));
    }

    [Fact]
    public async Task An_unknown_id_throws_NotFoundException_on_both_paths()
    {
        var (client, _) = TestUsers.Client();

        var viaAsync = await Assert.ThrowsAsync<NotFoundException>(() => client.GetUserAsync(99));
        var viaBlocking = Assert.Throws<NotFoundException>(() => client.GetUser(99));

        Assert.Equal("user 99 does not exist", viaAsync.Message);
        Assert.Equal("USER_NOT_FOUND", viaBlocking.Reason);
    }

    [Fact]
    public async Task A_taken_username_throws_AlreadyExistsException_with_the_servers_reason()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnUnary = (_, _) => throw ServerErrors.Rich(StatusCode.AlreadyExists, "a user with this username already exists: 'ada'", "USERNAME_TAKEN");

        var error = await Assert.ThrowsAsync<AlreadyExistsException>(() => client.CreateUserAsync(new CreateUserRequest { Username = "ada", Email = "a@b.c" }));
        Assert.Throws<AlreadyExistsException>(() => client.CreateUser(new CreateUserRequest { Username = "ada", Email = "a@b.c" }));

        Assert.Equal("USERNAME_TAKEN", error.Reason);
        Assert.Equal("a user with this username already exists: 'ada'", error.Message);
    }

    [Fact]
    public async Task CreateUserAsync_sends_the_request_and_returns_the_response()
    {
        var (client, invoker) = TestUsers.Client();
        var request = new CreateUserRequest { Username = "bob", Email = "bob@example.com", Roles = { "admin" }, RequestId = "r-1" };

        var response = await client.CreateUserAsync(request);

        Assert.Equal("bob", response.User.Username);
        Assert.Equal("created", response.Message);
        Assert.Equal(request, invoker.LastCall.Request);
    }

    [Fact]
    public async Task The_convenience_update_sends_the_edited_fields_and_the_mask()
    {
        var (client, invoker) = TestUsers.Client();

        var updated = await client.UpdateUserAsync(7, u => { u.FullName = "Ada King"; u.Etag = "v1"; }, "full_name");

        var sent = Assert.IsType<UpdateUserRequest>(invoker.LastCall.Request);
        Assert.Equal(7, sent.UserId);
        Assert.Equal(7, sent.User.Id);
        Assert.Equal("Ada King", sent.User.FullName);
        Assert.Equal("v1", sent.User.Etag);
        Assert.Equal(["full_name"], sent.UpdateMask.Paths);
        Assert.Equal("Ada King", updated.FullName);
    }

    [Fact]
    public async Task The_convenience_update_without_paths_sends_no_mask()
    {
        var (client, invoker) = TestUsers.Client();

        await client.UpdateUserAsync(7, u => u.Email = "ada@new.example");

        Assert.Null(((UpdateUserRequest)invoker.LastCall.Request!).UpdateMask);
    }

    [Fact]
    public async Task DeleteUserAsync_sends_the_etag_when_given()
    {
        var (client, invoker) = TestUsers.Client();

        await client.DeleteUserAsync(7, "v3");
        client.DeleteUser(8);

        Assert.Equal(new DeleteUserRequest { UserId = 7, Etag = "v3" }, invoker.Calls[0].Request);
        Assert.Equal(new DeleteUserRequest { UserId = 8 }, invoker.Calls[1].Request);
    }

    [Fact]
    public async Task A_stale_etag_on_delete_throws_ConflictException()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnUnary = (_, _) => throw ServerErrors.Rich(StatusCode.Aborted, "user 7 was changed by someone else", "ETAG_MISMATCH");

        var error = await Assert.ThrowsAsync<ConflictException>(() => client.DeleteUserAsync(7, "v1"));

        Assert.Equal(StatusCode.Aborted, error.StatusCode);
    }

    [Fact]
    public async Task SearchUsers_returns_the_page_and_its_token_on_both_paths()
    {
        var (client, _) = TestUsers.Client();

        var viaAsync = await client.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 });
        var viaBlocking = client.SearchUsers(new SearchUsersRequest { PageSize = 1 });

        Assert.Equal("next", viaAsync.NextPageToken);
        Assert.Equal(viaAsync, viaBlocking);
    }

    [Fact]
    public async Task A_call_the_caller_cancelled_throws_OperationCanceledException_not_a_TesseraException()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnUnary = (_, _) => throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetUserAsync(7, cts.Token));
    }

    [Fact]
    public async Task A_cancelled_status_the_caller_did_not_ask_for_is_a_TesseraException()
    {
        var (client, invoker) = TestUsers.Client();
        invoker.OnUnary = (_, _) => throw new RpcException(new Status(StatusCode.Cancelled, "the server cancelled"));

        var error = await Assert.ThrowsAsync<TesseraException>(() => client.GetUserAsync(7));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }
}
