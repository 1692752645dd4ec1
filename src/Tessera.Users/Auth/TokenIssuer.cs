using System.Buffers.Text;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Contracts.Auth.V1;
using Tessera.Users.Storage;

namespace Tessera.Users.Auth;

/// <summary>Makes access tokens (signed JWTs) and refresh tokens (random, stored only as SHA-256 hashes).</summary>
public sealed class TokenIssuer(JwtSettings settings, TimeProvider clock)
{
    private readonly JsonWebTokenHandler handler = new();

    /// <summary>
    /// Tokens for <paramref name="credentials"/>' user, carrying their security stamp, so that a later change to the
    /// user (roles, password, deactivation) revokes the access token, and whether a new password is required.
    /// </summary>
    public TokenPair Issue(Credentials credentials, string refreshToken, DateTimeOffset refreshExpiresAt)
    {
        var user = credentials.User;
        var now = clock.GetUtcNow();
        var expires = now + settings.AccessTokenLifetime;
        var claims = new List<Claim>
        {
            new(JwtRegisteredClaimNames.Sub, user.Id.ToString(CultureInfo.InvariantCulture)),
            new(TokenClaims.Name, user.Username),
            new(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
            new(TokenClaims.SecurityStamp, credentials.SecurityStamp.ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64),
        };
        if (credentials.PasswordChangeRequired)
        {
            claims.Add(new Claim(TokenClaims.PasswordChangeRequired, "true", ClaimValueTypes.Boolean));
        }

        claims.AddRange(user.Roles.Select(role => new Claim(TokenClaims.Role, role)));
        var token = handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(claims),
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.SigningKey, JwtSettings.Algorithm),
        });
        return new TokenPair
        {
            AccessToken = token,
            AccessTokenExpiresAt = Timestamp.FromDateTimeOffset(expires),
            RefreshToken = refreshToken,
            RefreshTokenExpiresAt = Timestamp.FromDateTimeOffset(refreshExpiresAt),
            UserId = user.Id,
            Roles = { user.Roles },
            PasswordChangeRequired = credentials.PasswordChangeRequired,
        };
    }

    /// <summary>
    /// A short-lived access token for Tessera's own services calling one another on behalf of <paramref name="userId"/>
    /// (an order reserving stock, taking the payment): role "service", an RFC 8693 <c>act</c> claim naming the acting
    /// service, no security stamp (it lives <paramref name="lifetime"/>, seconds, not a sign-in) and no refresh token.
    /// </summary>
    public string IssueServiceToken(long userId, string actingService, TimeSpan lifetime)
    {
        var now = clock.GetUtcNow();
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(
            [
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString(CultureInfo.InvariantCulture)),
                new Claim(JwtRegisteredClaimNames.Jti, Guid.NewGuid().ToString("N")),
                new Claim(TokenClaims.Role, Roles.Service),
            ]),
            Claims = new Dictionary<string, object> { [TokenClaims.Actor] = new Dictionary<string, object> { ["sub"] = actingService } },
            Issuer = settings.Issuer,
            Audience = settings.Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            SigningCredentials = new SigningCredentials(settings.SigningKey, JwtSettings.Algorithm),
        });
    }

    public DateTimeOffset RefreshExpiry() => clock.GetUtcNow() + settings.RefreshTokenLifetime;

    public static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string refreshToken) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(refreshToken)));
}
