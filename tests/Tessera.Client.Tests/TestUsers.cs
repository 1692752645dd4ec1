using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Client.Tests;

/// <summary>A client over a <see cref="FakeCallInvoker"/> that knows a few users.</summary>
internal static class TestUsers
{
    public static User Ada { get; } = new() { Id = 7, Username = "ada", Email = "ada@example.com", FullName = "Ada Lovelace", IsActive = true, Etag = "v1" };

    public static (TesseraClient Client, FakeCallInvoker Invoker) Client(TesseraClientOptions? options = null)
    {
        var invoker = new FakeCallInvoker
        {
            OnUnary = (method, request) => (method, request) switch
            {
                ("GetUser", GetUserRequest { UserId: 7 }) => Ada,
                ("GetUser", GetUserRequest get) => throw ServerErrors.NotFound(get.UserId),
                ("CreateUser", CreateUserRequest create) => new CreateUserResponse { User = new User { Id = 8, Username = create.Username, Email = create.Email }, Message = "created" },
                ("UpdateUser", UpdateUserRequest update) => update.User,
                ("DeleteUser", _) => new Google.Protobuf.WellKnownTypes.Empty(),
                ("SearchUsers", _) => new SearchUsersResponse { Users = { Ada }, NextPageToken = "next", TotalSize = 1 },
                _ => throw new InvalidOperationException($"unexpected {method}"),
            },
        };
        return (new TesseraClient(invoker, options), invoker);
    }
}
