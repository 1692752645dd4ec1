using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Tessera.Users.Auth;

namespace Tessera.Server.Security;

/// <summary>
/// <c>--auth none</c>: signs every caller in as an anonymous admin (no user id, no name), so the seed's clients,
/// which send no token, can use every RPC. Never for a server that anyone else can reach. Calls are signed in by
/// <see cref="AuthSetup.UseTesseraAuthentication"/> without running a handler; the scheme answers challenges.
/// </summary>
public sealed class DevelopmentAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "None";

    internal static readonly ClaimsPrincipal Everyone = new(new ClaimsIdentity([new Claim("role", Roles.Admin)], SchemeName, "name", "role"));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(Everyone, SchemeName)));
}
