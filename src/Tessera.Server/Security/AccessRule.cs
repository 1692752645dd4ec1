using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace Tessera.Server.Security;

/// <summary>What a call's caller must be, read once per endpoint from its <c>[Authorize]</c> and <c>[AllowAnonymous]</c> attributes.</summary>
internal sealed class AccessRule
{
    public enum Verdict
    {
        Admitted,
        SignInFirst,
        Denied,
    }

    private static readonly AccessRule Anyone = new(signedIn: false, []);

    private readonly bool signedIn;

    /// <summary>Each <c>[Authorize(Roles = ...)]</c>'s roles: the caller needs one role of every set.</summary>
    private readonly string[][] roleSets;

    private AccessRule(bool signedIn, string[][] roleSets)
    {
        this.signedIn = signedIn;
        this.roleSets = roleSets;
    }

    /// <summary>The roles named in a refusal: those of the first set the caller lacks.</summary>
    public string MissingRoles(ClaimsPrincipal user) =>
        string.Join(" or ", roleSets.FirstOrDefault(set => !set.Any(user.IsInRole)) ?? []);

    /// <summary>
    /// As ASP.NET Core's authorization reads the same attributes: <c>[AllowAnonymous]</c> admits anyone, each
    /// <c>[Authorize]</c> needs a signed-in caller, and one that names roles needs one of them. Tessera names no policies or
    /// schemes; an attribute that does is refused here rather than ignored.
    /// </summary>
    public static AccessRule Of(Endpoint endpoint)
    {
        var metadata = endpoint.Metadata;
        var authorize = metadata.GetOrderedMetadata<IAuthorizeData>();
        if (authorize.Count == 0 || metadata.GetMetadata<IAllowAnonymous>() is not null)
        {
            return Anyone;
        }

        if (authorize.FirstOrDefault(data => data.Policy is not null || data.AuthenticationSchemes is not null) is { } unsupported)
        {
            throw new InvalidOperationException(
                $"{endpoint.DisplayName}: [Authorize] with a policy or scheme ({unsupported.Policy ?? unsupported.AuthenticationSchemes}) is not supported; name roles instead");
        }

        var roleSets = authorize
            .Where(data => !string.IsNullOrWhiteSpace(data.Roles))
            .Select(data => data.Roles!.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            .ToArray();
        return new AccessRule(signedIn: true, roleSets);
    }

    public Verdict Judge(ClaimsPrincipal user)
    {
        if (!signedIn)
        {
            return Verdict.Admitted;
        }

        if (user.Identity?.IsAuthenticated != true)
        {
            return Verdict.SignInFirst;
        }

        foreach (var roles in roleSets)
        {
            if (!roles.Any(user.IsInRole))
            {
                return Verdict.Denied;
            }
        }

        return Verdict.Admitted;
    }
}
