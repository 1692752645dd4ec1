using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;
using Tessera.Users.Auth;

namespace Tessera.Server.Security;

/// <summary>
/// Authentication with the framework's own parts: JwtBearer validating our access tokens (algorithm, issuer,
/// audience, expiry with at most 30 s of skew) and then <see cref="AccessTokenChecks"/> (revocation, forced
/// password change), <c>[Authorize]</c> on the services, and rejections answered as
/// gRPC statuses. With <c>--auth none</c> every caller is treated as an admin, for local development only.
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
        services.AddSingleton<IAuthorizationMiddlewareResultHandler, GrpcAuthorizationResultHandler>();
        services.AddAuthorization();

        if (options.AuthEnabled)
        {
            if (options.KeepsUserStore)
            {
                services.AddSingleton<TokenRevocation>();
            }

            services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
                .AddJwtBearer(jwt =>
                {
                    jwt.MapInboundClaims = false;
                    jwt.TokenValidationParameters = settings.ValidationParameters();
                    var handlers = jwt.TokenHandlers.Select(handler => (TokenHandler)new ValidatedTokenCache(handler, TimeProvider.System)).ToList();
                    jwt.TokenHandlers.Clear();
                    handlers.ForEach(jwt.TokenHandlers.Add);
                    jwt.Events = new JwtBearerEvents
                    {
                        // Kept so a refusal can say why (expired, or otherwise invalid); the details never leave the server.
                        OnAuthenticationFailed = failed =>
                        {
                            failed.HttpContext.Items[GrpcAuthorizationResultHandler.FailureKey] = failed.Exception;
                            return Task.CompletedTask;
                        },
                        OnTokenValidated = AccessTokenChecks.OnTokenValidatedAsync,
                    };
                });
        }
        else
        {
            services.AddAuthentication(DevelopmentAuthHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, DevelopmentAuthHandler>(DevelopmentAuthHandler.SchemeName, null);
        }
    }

    /// <summary>
    /// Signs each call in: JwtBearer through the authentication middleware, or with <c>--auth none</c> the one
    /// anonymous admin set directly (what <see cref="DevelopmentAuthHandler"/> would answer, without making a handler
    /// for every call).
    /// </summary>
    public static void UseTesseraAuthentication(this WebApplication app, TesseraOptions options)
    {
        if (options.AuthEnabled)
        {
            app.UseAuthentication();
            return;
        }

        app.Use((context, next) =>
        {
            context.User = DevelopmentAuthHandler.Everyone;
            return next(context);
        });
    }
}
