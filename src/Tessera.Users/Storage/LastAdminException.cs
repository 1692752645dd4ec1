namespace Tessera.Users.Storage;

/// <summary>A delete, deactivation or demotion would have left no active admin; nothing was changed.</summary>
public sealed class LastAdminException(UserRecord admin)
    : Exception($"user {admin.Id} is the last active admin")
{
    public UserRecord Admin { get; } = admin;
}
