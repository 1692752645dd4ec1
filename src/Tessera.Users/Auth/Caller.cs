using System.Globalization;
using System.Security.Claims;
using Grpc.Core;

namespace Tessera.Users.Auth;

/// <summary>Who is calling, from the principal that authentication put on the call.</summary>
public sealed record Caller(long? UserId, string? Name, bool IsAdmin, bool IsService = false)
{
    private static readonly Caller Anonymous = new(null, null, false);

    private static readonly ReadOncePerIdentity<Caller> ByIdentity = new(Read);

    public static Caller From(ServerCallContext context)
    {
        var principal = context.GetHttpContext().User;
        return principal.Identity?.IsAuthenticated == true ? ByIdentity.Of(principal) : Anonymous;
    }

    private static Caller Read(ClaimsPrincipal principal)
    {
        var subject = principal.FindFirstValue("sub") ?? principal.FindFirstValue(ClaimTypes.NameIdentifier);
        long? id = long.TryParse(subject, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : null;
        return new Caller(id, principal.FindFirstValue("name") ?? principal.Identity?.Name, principal.IsInRole(Roles.Admin), IsServiceToken(principal));
    }

    /// <summary>
    /// A token Tessera's services issue one another (<see cref="TokenIssuer.IssueServiceToken"/>): the service role and an
    /// actor claim naming the service. A user's own token never passes, whatever its roles.
    /// </summary>
    public static bool IsServiceToken(ClaimsPrincipal principal) =>
        principal.IsInRole(Roles.Service) && principal.HasClaim(claim => claim.Type == TokenClaims.Actor);

    /// <summary>Permission comes before existence: a non-admin learns nothing about other users' ids.</summary>
    public void RequireSelfOrAdmin(long userId)
    {
        if (!IsAdmin && UserId != userId)
        {
            throw RpcErrors.PermissionDenied($"you may only do this to your own user ({UserId}); it needs the admin role for user {userId}");
        }
    }

    public void RequireAdmin(string what)
    {
        if (!IsAdmin)
        {
            throw RpcErrors.PermissionDenied($"{what} needs the admin role");
        }
    }
}
