using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Users.Auth;

namespace Tessera.Server.Security;

/// <summary>
/// Authentication: <see cref="AccessTokenAuthentication"/> validating our access tokens (algorithm, issuer, audience,
/// expiry with at most 30 s of skew) and then <see cref="AccessTokenChecks"/> (revocation, forced password change),
/// <c>[Authorize]</c> on the services checked by <see cref="CallAuthorization"/>, and rejections answered as gRPC
/// statuses. With <c>--auth none</c> every caller is treated as an admin, for local development only.
/// </summary>
public static class AuthSetup
{
    private static IReadOnlyList<Microsoft.IdentityModel.Tokens.SymmetricSecurityKey> ResolveKeys(TesseraOptions options)
    {
        try
        {
            return SigningKeys.Resolve(options.JwtKey, options.JwtKeyFile, options.DataDirectory);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or UnauthorizedAccessException)
        {
            throw new OptionsException($"cannot use the JWT signing key: {e.Message}");
        }
    }

    public static void AddTesseraAuth(this IServiceCollection services, TesseraOptions options)
    {
        var settings = new JwtSettings(
            ResolveKeys(options),
            options.JwtIssuer,
            options.JwtAudience,
            options.AccessTokenLifetime,
            options.RefreshTokenLifetime);
        services.AddSingleton(settings);
        services.AddSingleton<TokenIssuer>();
        services.AddSingleton<SignInThrottle>();
        // CallAuthorization reads [Authorize] itself; without it, routing would refuse endpoints that carry the attribute.
        services.Configure<RouteOptions>(routing => routing.SuppressCheckForUnhandledSecurityMetadata = true);

        if (options.AuthEnabled)
        {
            if (options.KeepsUserStore)
            {
                services.AddSingleton<TokenRevocation>();
            }

            services.AddSingleton(new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System));
        }
    }

    /// <summary>
    /// <c>--auth none</c>: every caller is this anonymous admin (no user id, no name), so the seed's clients, which
    /// send no token, can use every RPC. No authentication services are registered then, so ASP.NET Core adds no
    /// authentication middleware of its own.
    /// </summary>
    internal static readonly ClaimsPrincipal Everyone = new(new ClaimsIdentity([new Claim("role", Roles.Admin)], "None", "name", "role"));

    /// <summary>Signs each call in: from its access token (<see cref="AccessTokenAuthentication"/>), or with <c>--auth none</c> as <see cref="Everyone"/>.</summary>
    public static void UseTesseraAuthentication(this WebApplication app, TesseraOptions options)
    {
        if (options.AuthEnabled)
        {
            app.UseMiddleware<AccessTokenAuthentication>();
            return;
        }

        app.Use((context, next) =>
        {
            context.User = Everyone;
            return next(context);
        });
    }
}
