using System.Security.Claims;
using Microsoft.IdentityModel.Tokens;
using Tessera.Users.Auth;

namespace Tessera.Server.Security;

/// <summary>
/// Signs a call in from its access token (<c>authorization: Bearer &lt;JWT&gt;</c>), as JwtBearer would: the token is
/// validated (algorithm, issuer, audience, expiry with at most 30 s of skew, signature; see
/// <c>JwtSettings.ValidationParameters</c>), remembered while unexpired (<see cref="ValidatedTokenCache"/>), and then
/// passes <see cref="AccessTokenChecks"/> (revocation, a token good only for changing the password) on every call. A
/// call without a token goes on anonymous; one whose token is refused goes on anonymous too, with the reason kept
/// (<see cref="CallAuthorization.FailureKey"/>) for <see cref="CallAuthorization"/>, which answers UNAUTHENTICATED (or
/// what the checks decided) when the call needs a user.
/// <para>
/// JwtBearer itself, through ASP.NET Core's authentication middleware, made a handler, a scope and a copy of the
/// validation parameters for every call and stored the token in the call's properties: about half of what a GetUser
/// with a token allocated (bench/README.md).
/// </para>
/// </summary>
public sealed class AccessTokenAuthentication(RequestDelegate next, ValidatedTokenCache tokens, JwtSettings settings, IServiceProvider services)
{
    private const string Scheme = "Bearer ";

    private readonly TokenValidationParameters parameters = settings.ValidationParameters();

    /// <summary>Null in a process that keeps no user directory (<see cref="TesseraOptions.KeepsUserStore"/>).</summary>
    private readonly TokenRevocation? revocation = services.GetService<TokenRevocation>();

    public Task InvokeAsync(HttpContext context)
    {
        var authorization = context.Request.Headers.Authorization.ToString();
        var token = BearerToken(authorization);
        if (token.IsEmpty)
        {
            return next(context);
        }

        // A token seen before is looked up without copying it out of the header.
        var remembered = tokens.TryGetValid(token);
        return SignInAsync(context, remembered is null ? token.ToString() : null, remembered);
    }

    /// <summary>The token of a <c>Bearer</c> authorization header (the scheme in any case), or nothing.</summary>
    internal static ReadOnlySpan<char> BearerToken(string authorization) =>
        authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) ? authorization.AsSpan(Scheme.Length).Trim() : default;

    /// <summary>Signs in with a remembered validation, or validates <paramref name="token"/>.</summary>
    private async Task SignInAsync(HttpContext context, string? token, TokenValidationResult? remembered)
    {
        var principal = remembered is not null ? new ClaimsPrincipal(remembered.ClaimsIdentity) : await ValidateAsync(context, token!);
        if (principal is not null)
        {
            if (await AccessTokenChecks.RefusalAsync(context, principal, revocation) is { } refusal)
            {
                context.Items[CallAuthorization.FailureKey] = refusal;
            }
            else
            {
                context.User = principal;
            }
        }

        await next(context);
    }

    private async ValueTask<ClaimsPrincipal?> ValidateAsync(HttpContext context, string token)
    {
        try
        {
            var result = await tokens.ValidateTokenAsync(token, parameters);
            if (result.IsValid)
            {
                return new ClaimsPrincipal(result.ClaimsIdentity);
            }

            context.Items[CallAuthorization.FailureKey] = result.Exception;
            return null;
        }
        catch (Exception e) when (e is SecurityTokenException or ArgumentException)
        {
            context.Items[CallAuthorization.FailureKey] = e;
            return null;
        }
    }
}
