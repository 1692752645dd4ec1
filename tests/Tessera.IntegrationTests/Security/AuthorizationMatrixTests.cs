using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>Every RPC × {anonymous, the user themselves, another user, admin} → the status the caller sees.</summary>
public sealed class AuthorizationMatrixTests(AuthServer auth) : IClassFixture<AuthServer>
{
    private const StatusCode Ok = StatusCode.OK;
    private const StatusCode Unauthenticated = StatusCode.Unauthenticated;
    private const StatusCode Denied = StatusCode.PermissionDenied;

    public static TheoryData<string, string, StatusCode> Matrix => new()
    {
        { "CreateUser", "anonymous", Ok }, { "CreateUser", "self", Ok }, { "CreateUser", "admin", Ok },
        { "CreateUser+roles", "anonymous", Denied }, { "CreateUser+roles", "self", Denied }, { "CreateUser+roles", "admin", Ok },
        { "GetUser", "anonymous", Unauthenticated }, { "GetUser", "self", Ok }, { "GetUser", "other", Denied }, { "GetUser", "admin", Ok },
        { "GetUser(unknown)", "self", Denied }, { "GetUser(unknown)", "admin", StatusCode.NotFound },
        { "UpdateUser", "anonymous", Unauthenticated }, { "UpdateUser", "self", Ok }, { "UpdateUser", "other", Denied }, { "UpdateUser", "admin", Ok },
        { "UpdateUser+roles", "self", Denied }, { "UpdateUser+roles", "admin", Ok },
        { "DeleteUser", "anonymous", Unauthenticated }, { "DeleteUser", "self", Ok }, { "DeleteUser", "other", Denied }, { "DeleteUser", "admin", Ok },
        { "DeleteUser(unknown)", "other", Denied }, { "DeleteUser(unknown)", "admin", StatusCode.NotFound },
        { "ListUsers", "anonymous", Unauthenticated }, { "ListUsers", "self", Ok }, { "ListUsers", "admin", Ok },
        { "SearchUsers", "anonymous", Unauthenticated }, { "SearchUsers", "self", Ok }, { "SearchUsers", "admin", Ok },
        { "WatchUserChanges", "anonymous", Unauthenticated }, { "WatchUserChanges", "self", Denied }, { "WatchUserChanges", "admin", Ok },
        { "BulkCreateUsers", "anonymous", Unauthenticated }, { "BulkCreateUsers", "self", Denied }, { "BulkCreateUsers", "admin", Ok },
        { "SyncUsers", "anonymous", Unauthenticated }, { "SyncUsers", "self", Denied }, { "SyncUsers", "admin", Ok },
        { "UserChat", "anonymous", Unauthenticated }, { "UserChat", "self", Ok }, { "UserChat", "admin", Ok },
        { "SubscribeChatRoom", "anonymous", Unauthenticated }, { "SubscribeChatRoom", "self", Ok }, { "SubscribeChatRoom", "admin", Ok },
        { "PostChatMessage", "anonymous", Unauthenticated }, { "PostChatMessage", "self", Ok }, { "PostChatMessage", "admin", Ok },
        { "Login", "anonymous", Ok }, { "Refresh", "anonymous", Ok }, { "Logout", "anonymous", Ok },
        { "ChangePassword", "anonymous", Unauthenticated }, { "ChangePassword", "self", Ok },
        { "SetPassword", "anonymous", Unauthenticated }, { "SetPassword", "self", Denied }, { "SetPassword", "other", Denied }, { "SetPassword", "admin", Ok },
        { "SetPassword(unknown)", "self", Denied }, { "SetPassword(unknown)", "admin", StatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_the_expected_status(string rpc, string caller, StatusCode expected)
    {
        var (subject, subjectTokens) = await auth.SignUpAsync($"m{Guid.NewGuid().ToString("N")[..12]}");
        var headers = AuthServer.Bearer(caller switch
        {
            "self" => subjectTokens,
            "other" => auth.BobTokens,
            "admin" => auth.Admin,
            _ => null,
        });

        var actual = await Assertions.StatusOf(() => Call(rpc, caller, subject, subjectTokens, headers));

        Assert.True(expected == actual, $"{rpc} as {caller}: expected {expected}, got {actual}");
        Assert.True(auth.Server.Errors.IsEmpty, string.Join("\n", auth.Server.Errors));
    }

    private async Task Call(string rpc, string caller, User subject, TokenPair subjectTokens, Metadata headers)
    {
        var users = auth.Users;
        var unique = $"n{Guid.NewGuid().ToString("N")[..12]}";
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var options = new CallOptions(headers, cancellationToken: deadline.Token);
        switch (rpc)
        {
            case "CreateUser":
                await users.CreateUserAsync(new CreateUserRequest { Username = unique, Email = $"{unique}@example.com" }, options);
                break;
            case "CreateUser+roles":
                await users.CreateUserAsync(new CreateUserRequest { Username = unique, Email = $"{unique}@example.com", Roles = { "editor" } }, options);
                break;
            case "GetUser":
                await users.GetUserAsync(new GetUserRequest { UserId = subject.Id }, options);
                break;
            case "GetUser(unknown)":
                await users.GetUserAsync(new GetUserRequest { UserId = 987_654_321 }, options);
                break;
            case "UpdateUser":
                await users.UpdateUserAsync(new UpdateUserRequest { UserId = subject.Id, User = new User { FullName = "changed" } }, options);
                break;
            case "UpdateUser+roles":
                await users.UpdateUserAsync(new UpdateUserRequest { UserId = subject.Id, User = new User { Roles = { "admin" } } }, options);
                break;
            case "DeleteUser":
                await users.DeleteUserAsync(new DeleteUserRequest { UserId = subject.Id }, options);
                break;
            case "DeleteUser(unknown)":
                await users.DeleteUserAsync(new DeleteUserRequest { UserId = 987_654_321 }, options);
                break;
            case "ListUsers":
                using (var list = users.ListUsers(new ListUsersRequest { PageSize = 1 }, options))
                {
                    Assert.True(await list.ResponseStream.MoveNext(deadline.Token));
                }

                break;
            case "SearchUsers":
                await users.SearchUsersAsync(new SearchUsersRequest(), options);
                break;
            case "WatchUserChanges":
                using (var watch = users.WatchUserChanges(new WatchUserRequest(), options))
                {
                    Assert.True(await watch.ResponseStream.MoveNext(deadline.Token));
                }

                break;
            case "BulkCreateUsers":
                using (var bulk = users.BulkCreateUsers(options))
                {
                    await Send(bulk.RequestStream, new CreateUserRequest { Username = unique, Email = $"{unique}@example.com" });
                    await Send(bulk.RequestStream, null);
                    Assert.Equal(1, (await bulk.ResponseAsync).CreatedCount);
                }

                break;
            case "SyncUsers":
                using (var sync = users.SyncUsers(options))
                {
                    await Send(sync.RequestStream, new UserSyncRequest { Start = new SyncStart() });
                    Assert.True(await sync.ResponseStream.MoveNext(deadline.Token));
                }

                break;
            case "UserChat":
                using (var chat = users.UserChat(options))
                {
                    await Send(chat.RequestStream, new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = unique, Sender = "someone-else" });
                    Assert.True(await chat.ResponseStream.MoveNext(deadline.Token));
                    if (caller == "self")
                    {
                        // A signed-in user chats under their own name, whatever the message claims.
                        Assert.Equal(subject.Username, chat.ResponseStream.Current.Sender);
                    }
                }

                break;
            case "SubscribeChatRoom":
                using (var room = users.SubscribeChatRoom(new SubscribeChatRoomRequest { Room = unique, Sender = "someone-else" }, options))
                {
                    Assert.True(await room.ResponseStream.MoveNext(deadline.Token));
                    if (caller == "self")
                    {
                        Assert.Equal(subject.Username, room.ResponseStream.Current.Sender);
                    }
                }

                break;
            case "PostChatMessage":
                var posted = await users.PostChatMessageAsync(new PostChatMessageRequest { Room = unique, Text = "hello", Sender = "someone-else" }, options);
                if (caller == "self")
                {
                    Assert.Equal(subject.Username, posted.Message.Sender);
                }

                break;
            case "Login":
                await auth.Auth.LoginAsync(new LoginRequest { Username = subject.Email.ToUpperInvariant(), Password = AuthServer.UserPassword }, options);
                break;
            case "Refresh":
                await auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = subjectTokens.RefreshToken }, options);
                break;
            case "Logout":
                await auth.Auth.LogoutAsync(new LogoutRequest { RefreshToken = subjectTokens.RefreshToken }, options);
                break;
            case "ChangePassword":
                await auth.Auth.ChangePasswordAsync(new ChangePasswordRequest { CurrentPassword = AuthServer.UserPassword, NewPassword = "changed-password" }, options);
                break;
            case "SetPassword":
                await auth.Auth.SetPasswordAsync(new SetPasswordRequest { UserId = subject.Id, NewPassword = "set-by-someone" }, options);
                break;
            case "SetPassword(unknown)":
                await auth.Auth.SetPasswordAsync(new SetPasswordRequest { UserId = 987_654_321, NewPassword = "set-by-someone" }, options);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null);
        }
    }

    /// <summary>
    /// Writes to a client stream that the server may already have refused: a refusal before the handler ends the call
    /// while the request is still being sent, so the write can fail on its own; the call's status is then read from
    /// the response, as a client would.
    /// </summary>
    private static async Task Send<T>(IClientStreamWriter<T> stream, T? message)
        where T : class
    {
        try
        {
            await (message is null ? stream.CompleteAsync() : stream.WriteAsync(message));
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
        }
    }
}
