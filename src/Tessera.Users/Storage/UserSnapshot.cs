using System.Text.Json;

namespace Tessera.Users.Storage;

/// <summary>The JSON form of a user kept in the change log and the request log (never with a password hash).</summary>
public sealed partial class SqliteUserStore
{
    private static readonly JsonSerializerOptions SnapshotOptions = new(JsonSerializerDefaults.General);

    private static string Serialize(UserRecord user) => JsonSerializer.Serialize(Snapshot.From(user), SnapshotOptions);

    private static UserRecord Deserialize(string json) => JsonSerializer.Deserialize<Snapshot>(json, SnapshotOptions)!.ToRecord();

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
                user.Nickname, ToMicros(user.CreatedAt), ToMicros(user.UpdatedAt), user.Version);

        public UserRecord ToRecord() =>
            new(Id, Username, Email, FullName, IsActive, Roles, Metadata, Nickname, FromMicros(CreatedAt), FromMicros(UpdatedAt), Version);
    }
}
