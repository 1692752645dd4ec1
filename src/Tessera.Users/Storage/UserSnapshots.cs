using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Users.Storage;

/// <summary>
/// The JSON form of a user kept in the change log and the request log of every engine (never with a password hash):
/// the same text on SQLite and PostgreSQL, so a log row reads the same whichever engine wrote it.
/// </summary>
internal static partial class UserSnapshots
{
    // Source-generated: the same text as the reflection-based serializer with the default options wrote, at a
    // fraction of the cost (every write of the change log makes one).
    public static string Serialize(UserRecord user) => JsonSerializer.Serialize(Snapshot.From(user), SnapshotJson.Default.Snapshot);

    public static UserRecord Deserialize(string json) => JsonSerializer.Deserialize(json, SnapshotJson.Default.Snapshot)!.ToRecord();

    [JsonSerializable(typeof(Snapshot))]
    private sealed partial class SnapshotJson : JsonSerializerContext;

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
