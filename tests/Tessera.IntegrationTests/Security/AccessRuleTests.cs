using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Tessera.Server.Security;

namespace Tessera.IntegrationTests.Security;

/// <summary>How <see cref="CallAuthorization"/> reads an endpoint's attributes, as ASP.NET Core's authorization would.</summary>
public sealed class AccessRuleTests
{
    private static readonly ClaimsPrincipal Anonymous = new(new ClaimsIdentity());

    private static ClaimsPrincipal SignedIn(params string[] roles) =>
        new(new ClaimsIdentity([new Claim("sub", "7"), .. roles.Select(role => new Claim("role", role))], "test", "name", "role"));

    private static AccessRule Rule(params object[] metadata) => AccessRule.Of(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(metadata), "test endpoint"));

    [Fact]
    public void An_endpoint_without_authorize_admits_anyone()
    {
        Assert.Equal(AccessRule.Verdict.Admitted, Rule().Judge(Anonymous));
    }

    [Fact]
    public void Authorize_needs_a_signed_in_caller_of_any_role()
    {
        var rule = Rule(new AuthorizeAttribute());
        Assert.Equal(AccessRule.Verdict.SignInFirst, rule.Judge(Anonymous));
        Assert.Equal(AccessRule.Verdict.Admitted, rule.Judge(SignedIn()));
    }

    [Fact]
    public void Allow_anonymous_wins_over_authorize_on_the_class()
    {
        var rule = Rule(new AuthorizeAttribute(), new AuthorizeAttribute { Roles = "admin" }, new AllowAnonymousAttribute());
        Assert.Equal(AccessRule.Verdict.Admitted, rule.Judge(Anonymous));
    }

    [Fact]
    public void Each_authorize_with_roles_needs_one_of_its_roles()
    {
        var rule = Rule(new AuthorizeAttribute(), new AuthorizeAttribute { Roles = "admin, service" }, new AuthorizeAttribute { Roles = "auditor" });
        Assert.Equal(AccessRule.Verdict.SignInFirst, rule.Judge(Anonymous));
        Assert.Equal(AccessRule.Verdict.Denied, rule.Judge(SignedIn()));
        Assert.Equal(AccessRule.Verdict.Denied, rule.Judge(SignedIn("admin")));
        Assert.Equal(AccessRule.Verdict.Denied, rule.Judge(SignedIn("auditor")));
        Assert.Equal(AccessRule.Verdict.Admitted, rule.Judge(SignedIn("service", "auditor")));
        Assert.Equal("admin or service", rule.MissingRoles(SignedIn("auditor")));
        Assert.Equal("auditor", rule.MissingRoles(SignedIn("admin")));
    }

    [Fact]
    public void A_policy_or_scheme_it_cannot_honour_is_refused_not_ignored()
    {
        Assert.Contains("test endpoint", Assert.Throws<InvalidOperationException>(() => Rule(new AuthorizeAttribute("owners"))).Message);
        Assert.Throws<InvalidOperationException>(() => Rule(new AuthorizeAttribute { AuthenticationSchemes = "Cookies" }));
    }
}
