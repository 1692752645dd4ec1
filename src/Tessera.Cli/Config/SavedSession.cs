namespace Tessera.Cli.Config;

/// <summary>
/// One context of the config file: a server (address, CA, client certificate) and the sign-in saved for it.
/// The token fields are empty when the context has no sign-in (after <c>logout</c>).
/// </summary>
internal sealed record SavedSession
{
    public string? Address { get; init; }

    public string? Ca { get; init; }

    public string? Certificate { get; init; }

    public string? Key { get; init; }

    public string? Username { get; init; }

    public long UserId { get; init; }

    public string? AccessToken { get; init; }

    public DateTimeOffset? AccessTokenExpiresAt { get; init; }

    public string? RefreshToken { get; init; }

    public DateTimeOffset? RefreshTokenExpiresAt { get; init; }

    public bool SignedIn => AccessToken is { Length: > 0 };

    /// <summary>The same server, without the sign-in.</summary>
    public SavedSession SignedOut() => this with
    {
        Username = null,
        UserId = 0,
        AccessToken = null,
        AccessTokenExpiresAt = null,
        RefreshToken = null,
        RefreshTokenExpiresAt = null,
    };
}
