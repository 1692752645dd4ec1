using System.Globalization;
using Grpc.Core;
using System.Security.Claims;
using Tessera.Users.Auth;

namespace Tessera.Server.Security;

/// <summary>
/// What a signed, unexpired access token must also pass, checked right after JWT validation
/// (<see cref="AccessTokenAuthentication"/>): it is not revoked (<see cref="TokenRevocation"/> says why a token stops working; checked only
/// where the user directory is kept, see <see cref="TesseraOptions.KeepsUserStore"/>), and a token
/// good only for changing the password (claim <c>pcr</c>) is used for nothing else. Refusals reach the caller through
/// <see cref="CallAuthorization"/>.
/// </summary>
public static class AccessTokenChecks
{
    /// <summary>The only call a token with password_change_required may make (Refresh and Logout need no access token).</summary>
    public static readonly string ChangePasswordPath = $"/{Tessera.Contracts.Auth.V1.AuthService.Descriptor.FullName}/ChangePassword";

    /// <summary>What the checks read from a token's claims: once per validated token, whose identity is remembered with it.</summary>
    private static readonly ReadOncePerIdentity<TokenFacts> Facts = new(TokenFacts.Read);

    /// <summary>Why the validated token of <paramref name="principal"/> may not make this call, or null.</summary>
    /// <param name="revocation">Null in a process that keeps no user directory (SQLite without users: <see cref="TesseraOptions.KeepsUserStore"/>).</param>
    public static async Task<TokenRefusedException?> RefusalAsync(HttpContext context, ClaimsPrincipal principal, TokenRevocation? revocation)
    {
        var facts = Facts.Of(principal);
        if (facts.Invalid is { } invalid)
        {
            return new TokenRefusedException(StatusCode.Unauthenticated, invalid, "TOKEN_INVALID");
        }

        // A service token (role "service" and an act claim: minted by Tessera's own services, TokenIssuer.IssueServiceToken)
        // carries no stamp and lives 60 s: it is not a sign-in that a password change or deactivation should end.
        if (!facts.ServiceToken && revocation is not null && await revocation.CheckAsync(facts.UserId, facts.Stamp, context.RequestAborted) is { } revoked)
        {
            return new TokenRefusedException(StatusCode.Unauthenticated, revoked, "TOKEN_REVOKED");
        }

        if (facts.PasswordChangeRequired && !string.Equals(context.Request.Path.Value, ChangePasswordPath, StringComparison.Ordinal))
        {
            return new TokenRefusedException(
                StatusCode.FailedPrecondition,
                "an admin requires you to choose a new password before anything else: call auth.v1.AuthService/ChangePassword "
                + "(tessera password change) with this token, then use the tokens it returns",
                "PASSWORD_CHANGE_REQUIRED");
        }

        return null;
    }

    /// <param name="Invalid">Why the claims make no valid access token, or null.</param>
    private sealed record TokenFacts(string? Invalid, long UserId, long Stamp, bool ServiceToken, bool PasswordChangeRequired)
    {
        public static TokenFacts Read(ClaimsPrincipal principal)
        {
            if (!long.TryParse(principal.FindFirst("sub")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId))
            {
                return new TokenFacts("the access token names no user; sign in again", 0, 0, false, false);
            }

            var stampClaim = principal.FindFirst(TokenClaims.SecurityStamp)?.Value;
            var stamp = 0L;
            if (stampClaim is not null && !long.TryParse(stampClaim, NumberStyles.Integer, CultureInfo.InvariantCulture, out stamp))
            {
                return new TokenFacts("the access token is not valid; sign in again", 0, 0, false, false);
            }

            return new TokenFacts(null, userId, stamp, Caller.IsServiceToken(principal), principal.FindFirst(TokenClaims.PasswordChangeRequired)?.Value == "true");
        }
    }
}
