using System.Globalization;
using Grpc.Core;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Tessera.Users.Auth;

namespace Tessera.Server.Security;

/// <summary>
/// What a signed, unexpired access token must also pass, checked right after JWT validation (JwtBearer's
/// OnTokenValidated): it is not revoked (<see cref="TokenRevocation"/> says why a token stops working; checked only
/// where the user directory is kept, see <see cref="TesseraOptions.KeepsUserStore"/>), and a token
/// good only for changing the password (claim <c>pcr</c>) is used for nothing else. Refusals reach the caller through
/// <see cref="CallAuthorization"/>.
/// </summary>
public static class AccessTokenChecks
{
    /// <summary>The only call a token with password_change_required may make (Refresh and Logout need no access token).</summary>
    public static readonly string ChangePasswordPath = $"/{Tessera.Contracts.Auth.V1.AuthService.Descriptor.FullName}/ChangePassword";

    public static async Task OnTokenValidatedAsync(TokenValidatedContext validated)
    {
        var refusal = await RefusalAsync(validated);
        if (refusal is not null)
        {
            validated.HttpContext.Items[CallAuthorization.FailureKey] = refusal;
            validated.Fail(refusal);
        }
    }

    private static async Task<TokenRefusedException?> RefusalAsync(TokenValidatedContext validated)
    {
        var principal = validated.Principal!;
        if (!long.TryParse(principal.FindFirst("sub")?.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var userId))
        {
            return new TokenRefusedException(StatusCode.Unauthenticated, "the access token names no user; sign in again", "TOKEN_INVALID");
        }

        var stampClaim = principal.FindFirst(TokenClaims.SecurityStamp)?.Value;
        var stamp = 0L;
        if (stampClaim is not null && !long.TryParse(stampClaim, NumberStyles.Integer, CultureInfo.InvariantCulture, out stamp))
        {
            return new TokenRefusedException(StatusCode.Unauthenticated, "the access token is not valid; sign in again", "TOKEN_INVALID");
        }

        // A service token (role "service" and an act claim: minted by Tessera's own services, TokenIssuer.IssueServiceToken)
        // carries no stamp and lives 60 s: it is not a sign-in that a password change or deactivation should end.
        var serviceToken = Caller.IsServiceToken(principal);
        // Null in a process that keeps no user directory (SQLite without users: TesseraOptions.KeepsUserStore).
        var revocation = validated.HttpContext.RequestServices.GetService<TokenRevocation>();
        if (!serviceToken && revocation is not null && await revocation.CheckAsync(userId, stamp, validated.HttpContext.RequestAborted) is { } revoked)
        {
            return new TokenRefusedException(StatusCode.Unauthenticated, revoked, "TOKEN_REVOKED");
        }

        if (principal.FindFirst(TokenClaims.PasswordChangeRequired)?.Value == "true"
            && !string.Equals(validated.HttpContext.Request.Path.Value, ChangePasswordPath, StringComparison.Ordinal))
        {
            return new TokenRefusedException(
                StatusCode.FailedPrecondition,
                "an admin requires you to choose a new password before anything else: call auth.v1.AuthService/ChangePassword "
                + "(tessera password change) with this token, then use the tokens it returns",
                "PASSWORD_CHANGE_REQUIRED");
        }

        return null;
    }
}
