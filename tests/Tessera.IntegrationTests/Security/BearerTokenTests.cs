using Tessera.Server.Security;

namespace Tessera.IntegrationTests.Security;

/// <summary>Which authorization headers carry an access token, read as JwtBearer reads them.</summary>
public sealed class BearerTokenTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER   abc.def.ghi  ", "abc.def.ghi")]
    [InlineData("Bearer ", null)]
    [InlineData("Bearer    ", null)]
    [InlineData("Basic dXNlcjpwYXNz", null)]
    [InlineData("Bearerabc", null)]
    [InlineData("", null)]
    public void The_token_is_what_follows_the_bearer_scheme(string header, string? token)
    {
        var found = AccessTokenAuthentication.BearerToken(header);
        Assert.Equal(token, found.IsEmpty ? null : found.ToString());
    }
}
