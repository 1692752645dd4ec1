namespace Tessera.Users;

/// <summary>A stored user. <see cref="Version"/> grows with every change; the etag is derived from it.</summary>
public sealed record UserRecord(
    long Id,
    string Username,
    string Email,
    string FullName,
    bool IsActive,
    IReadOnlyList<string> Roles,
    IReadOnlyDictionary<string, string> Metadata,
    string? Nickname,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    public string Etag => $"v{Version}";
}

/// <summary>What a create stores. <see cref="PasswordHash"/> is already hashed; the store never sees a password.</summary>
public sealed record NewUser(
    string Username,
    string Email,
    string FullName,
    string? PasswordHash,
    IReadOnlyList<string> Roles,
    IReadOnlyDictionary<string, string> Metadata,
    string? Nickname,
    bool IsActive = true);

public enum ChangeType
{
    Created,
    Updated,
    Deleted,
}

/// <summary>One row of the change log: the user after the change (as it was, for a delete).</summary>
public sealed record UserChange(long Revision, ChangeType Type, UserRecord User, DateTimeOffset Timestamp);
