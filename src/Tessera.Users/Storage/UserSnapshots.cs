using System.Text.Json;

namespace Tessera.Users.Storage;

/// <summary>
/// The JSON form of a user kept in the change log and the request log of every engine (never with a password hash):
/// the same text on SQLite and PostgreSQL, so a log row reads the same whichever engine wrote it.
/// </summary>
internal static class UserSnapshots
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General);

    public static string Serialize(UserRecord user) => JsonSerializer.Serialize(Snapshot.From(user), Options);

    public static UserRecord Deserialize(string json) => JsonSerializer.Deserialize<Snapshot>(json, Options)!.ToRecord();

    private sealed record Snapshot(
        long Id,
        string Username,
        string Email,
        string FullName,
        bool IsActive,
        string[] Roles,
        Dictionary<string, string> Metadata,
        string? Nickname,
        long CreatedAt,
        long UpdatedAt,
        long Version)
    {
        public static Snapshot From(UserRecord user) =>
            new(user.Id, user.Username, user.Email, user.FullName, user.IsActive, [.. user.Roles], new Dictionary<string, string>(user.Metadata),
                user.Nickname, StoreTime.ToMicros(user.CreatedAt), StoreTime.ToMicros(user.UpdatedAt), user.Version);

        public UserRecord ToRecord() =>
            new(Id, Username, Email, FullName, IsActive, Roles, Metadata, Nickname, StoreTime.FromMicros(CreatedAt), StoreTime.FromMicros(UpdatedAt), Version);
    }
}
