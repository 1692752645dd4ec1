namespace Tessera.Users.Storage;

/// <summary>
/// A user with their sign-in state, read together: the password hash (null when none), the security stamp access
/// tokens must carry, and whether an admin required a new password. Only the user part is ever sent.
/// </summary>
public sealed record Credentials(UserRecord User, string? PasswordHash, long SecurityStamp, bool PasswordChangeRequired);
