using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Contracts.Auth.V1;

namespace Tessera.Users.Auth;

/// <summary>Makes access tokens (signed JWTs) and refresh tokens (random, stored only as SHA-256 hashes).</summary>
public sealed class TokenIssuer(JwtSettings settings, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    public TokenPair Issue(UserRecord user, string refreshToken, DateTimeOffset refreshExpiresAt)
    {
        var now = clock.GetUtcNow();
        var expires = now + settings.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("name", user.Username),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
        };
        claims.AddRange(user.Roles.Select(role => new Claim("role", role)));
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.Key, JwtSettings.Algorithm),
        });
        return new TokenPair
        {
            AccessToken = token,
            AccessTokenExpiresAt = Timestamp.FromDateTimeOffset(expires),
            RefreshToken = refreshToken,
            RefreshTokenExpiresAt = Timestamp.FromDateTimeOffset(refreshExpiresAt),
            UserId = user.Id,
            Roles = { user.Roles },
        };
    }

    public DateTimeOffset RefreshExpiry() => clock.GetUtcNow() + settings.RefreshTokenLifetime;

    public static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string refreshToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
}
