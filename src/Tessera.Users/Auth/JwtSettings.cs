using Microsoft.IdentityModel.Tokens;

namespace Tessera.Users.Auth;

/// <summary>How access tokens are signed and checked: HMAC-SHA256 with one key, a pinned issuer and audience.</summary>
public sealed record JwtSettings(SymmetricSecurityKey Key, string Issuer, string Audience, TimeSpan AccessTokenLifetime, TimeSpan RefreshTokenLifetime)
{
    public const string Algorithm = SecurityAlgorithms.HmacSha256;

    /// <summary>At most this much clock difference is forgiven when checking expiry.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public TokenValidationParameters ValidationParameters() => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        IssuerSigningKey = Key,
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
