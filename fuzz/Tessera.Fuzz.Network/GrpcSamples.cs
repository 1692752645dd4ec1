using Google.Protobuf;
using Tessera.Contracts.User.V1;

namespace Tessera.Fuzz.Network;

/// <summary>A well-formed request stream for each RPC of user.v1, the starting point of every mutation.</summary>
internal static class GrpcSamples
{
    private static readonly Dictionary<string, Func<int, IMessage[]>> ByMethod = new(StringComparer.Ordinal)
    {
        ["CreateUser"] = n => [Create(n)],
        ["GetUser"] = _ => [new GetUserRequest { UserId = 1 }],
        ["UpdateUser"] = n => [new UpdateUserRequest { UserId = 2, User = new User { FullName = $"Fuzz {n}", Nickname = "fz" } }],
        ["DeleteUser"] = _ => [new DeleteUserRequest { UserId = 1_000_000, Etag = "v1" }],
        ["ListUsers"] = _ => [new ListUsersRequest { Page = 1, PageSize = 3, Filter = "is_active = true" }],
        ["WatchUserChanges"] = _ => [new WatchUserRequest { StartRevision = 0, Filter = "username:\"f*\"" }],
        ["BulkCreateUsers"] = n => [Create(n), Create(n + 1)],
        ["UserChat"] = _ =>
        [
            new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = "fuzz", Sender = "fz" },
            new ChatMessage { Kind = ChatMessage.Types.Kind.Text, Room = "fuzz", Text = "hello" },
        ],
        ["SyncUsers"] = _ => [new UserSyncRequest { Start = new SyncStart { Revision = 0 } }],
        ["SearchUsers"] = _ => [new SearchUsersRequest { PageSize = 5, Filter = "username:\"a*\" OR roles:admin", OrderBy = "username desc" }],
        ["SubscribeChatRoom"] = _ => [new SubscribeChatRoomRequest { Room = "fuzz", Sender = "fz" }],
        ["PostChatMessage"] = _ => [new PostChatMessageRequest { Room = "fuzz", Text = "hi", Sender = "fz" }],
    };

    /// <summary>The service's methods; every one must have a sample, so a new RPC is not silently left out.</summary>
    public static IReadOnlyList<string> Methods { get; } = UserService.Descriptor.Methods
        .Select(m => ByMethod.ContainsKey(m.Name) ? m.Name : throw new InvalidOperationException($"no sample request for user.v1 {m.Name}"))
        .ToList();

    public static string Path(string method) => $"/{UserService.Descriptor.FullName}/{method}";

    public static IMessage[] For(string method, int n) => ByMethod[method](n);

    /// <summary>Without a password: hashing one (PBKDF2, 220,000 rounds) would spend the run's time on the hash.</summary>
    private static CreateUserRequest Create(int n) =>
        new() { Username = $"fuzz{n}", Email = $"fuzz{n}@example.com", Roles = { "editor" }, Metadata = { ["k"] = "v" } };
}
