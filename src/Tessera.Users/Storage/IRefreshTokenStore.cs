namespace Tessera.Users.Storage;

/// <summary>
/// Refresh tokens, kept only as hashes. Tokens descended from one sign-in form a family: rotating spends the
/// old token, and presenting a spent token again revokes the whole family (it was stolen, or replayed).
/// </summary>
public interface IRefreshTokenStore
{
    Task IssueAsync(string tokenHash, string familyId, long userId, DateTimeOffset expiresAt, CancellationToken cancellationToken);

    /// <summary>Spends <paramref name="tokenHash"/> and issues <paramref name="newTokenHash"/> in its family, atomically.</summary>
    Task<RotateResult> RotateAsync(string tokenHash, string newTokenHash, DateTimeOffset newExpiresAt, CancellationToken cancellationToken);

    /// <summary>Revokes the family of a token; false when the token is unknown.</summary>
    Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>Revokes every refresh token of a user (every sign-in); returns how many it revoked.</summary>
    Task<int> RevokeAllAsync(long userId, CancellationToken cancellationToken);
}

public enum RotateOutcome
{
    Rotated,
    Unknown,
    Expired,
    /// <summary>The token was already spent or revoked: its family is now revoked.</summary>
    Reused,
}

public sealed record RotateResult(RotateOutcome Outcome, long UserId = 0, string? FamilyId = null);
