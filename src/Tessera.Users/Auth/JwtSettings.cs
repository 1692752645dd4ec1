using Microsoft.IdentityModel.Tokens;

namespace Tessera.Users.Auth;

/// <summary>
/// How access tokens are signed and checked: HMAC-SHA256, a pinned issuer and audience. The first of
/// <paramref name="Keys"/> signs (its <c>kid</c> in the header); every one of them verifies (see <see cref="SigningKeys"/>).
/// </summary>
public sealed record JwtSettings(IReadOnlyList<SymmetricSecurityKey> Keys, string Issuer, string Audience, TimeSpan AccessTokenLifetime, TimeSpan RefreshTokenLifetime)
{
    public const string Algorithm = SecurityAlgorithms.HmacSha256;

    public SymmetricSecurityKey SigningKey => Keys[0];

    /// <summary>At most this much clock difference is forgiven when checking expiry.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKeys = Keys,
        ValidAlgorithms = [Algorithm],
        ValidateIssuer = true,
        ValidateAudience = true,
        ValidateLifetime = true,
        ValidateIssuerSigningKey = true,
        RequireExpirationTime = true,
        RequireSignedTokens = true,
        ClockSkew = ClockSkew,
        NameClaimType = "name",
        RoleClaimType = "role",
    };
}
