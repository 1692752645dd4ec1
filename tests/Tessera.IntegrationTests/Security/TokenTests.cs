using System.Security.Claims;
using System.Text;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;

namespace Tessera.IntegrationTests.Security;

public sealed class TokenTests(AuthServer auth) : IClassFixture<AuthServer>
{
    private SymmetricSecurityKey ServerKey => new(Convert.FromBase64String(
        File.ReadAllText(Path.Combine(auth.Server.DataDirectory, SigningKeys.DefaultFileName)).Trim()));

    private string Forge(SecurityKey key, string audience = "tessera", DateTime? expires = null, string algorithm = SecurityAlgorithms.HmacSha256) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", auth.Alice.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Claim("name", "alice"), new Claim("role", Roles.Admin)]),
            Issuer = "tessera",
            Audience = audience,
            IssuedAt = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            NotBefore = (expires ?? DateTime.UtcNow.AddMinutes(5)).AddMinutes(-10),
            Expires = expires ?? DateTime.UtcNow.AddMinutes(5),
            SigningCredentials = new SigningCredentials(key, algorithm),
        });

    private async Task<(StatusCode Code, string Detail)> GetAliceWith(string token)
    {
        try
        {
            await auth.Users.GetUserAsync(new GetUserRequest { UserId = auth.Alice.Id }, AuthServer.Bearer(token));
            return (StatusCode.OK, "");
        }
        catch (RpcException e)
        {
            return (e.StatusCode, e.Status.Detail);
        }
    }

    [Fact]
    public async Task A_token_signed_with_the_servers_key_is_accepted()
    {
        Assert.Equal(StatusCode.OK, (await GetAliceWith(Forge(ServerKey))).Code);
    }

    [Fact]
    public async Task Unsigned_wrongly_signed_foreign_and_expired_tokens_are_UNAUTHENTICATED()
    {
        var header = Base64UrlEncoder.Encode("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(
            $$"""{"sub":"{{auth.Alice.Id}}","role":"admin","iss":"tessera","aud":"tessera","exp":{{DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds()}}}"""));
        var unsigned = $"{header}.{payload}.";
        var wrongKey = Forge(new SymmetricSecurityKey(new byte[64]));
        var wrongAudience = Forge(ServerKey, audience: "someone-else");
        var expired = Forge(ServerKey, expires: DateTime.UtcNow.AddSeconds(-45));

        foreach (var token in new[] { unsigned, wrongKey, wrongAudience, expired, "not-a-jwt" })
        {
            var (code, detail) = await GetAliceWith(token);
            Assert.Equal(StatusCode.Unauthenticated, code);
            Assert.DoesNotContain("Exception", detail, StringComparison.Ordinal);
        }

        Assert.Contains("expired", (await GetAliceWith(expired)).Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_token_within_the_30_second_clock_skew_still_works()
    {
        Assert.Equal(StatusCode.OK, (await GetAliceWith(Forge(ServerKey, expires: DateTime.UtcNow.AddSeconds(-10)))).Code);
    }

    [Fact]
    public async Task Login_refuses_wrong_passwords_alike_for_known_and_unknown_users()
    {
        var known = await Assert.ThrowsAsync<RpcException>(() => auth.Auth.LoginAsync(new LoginRequest { Username = "alice", Password = "wrong-password" }).ResponseAsync);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => auth.Auth.LoginAsync(new LoginRequest { Username = "nobody-here", Password = "wrong-password" }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, known.StatusCode);
        Assert.Equal(known.Status.Detail, unknown.Status.Detail);
    }

    [Fact]
    public async Task Refresh_rotates_and_reuse_of_a_spent_token_revokes_the_whole_sign_in()
    {
        var (_, first) = await auth.SignUpAsync($"r{Guid.NewGuid().ToString("N")[..12]}");

        var second = (await auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = first.RefreshToken })).Tokens;
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(StatusCode.OK, (await Assertions.StatusOf(() => auth.Users.SearchUsersAsync(new SearchUsersRequest(), AuthServer.Bearer(second)).ResponseAsync)));

        var reuse = await Assert.ThrowsAsync<RpcException>(() => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = first.RefreshToken }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, reuse.StatusCode);
        Assert.Contains("revoked", reuse.Status.Detail, StringComparison.Ordinal);

        var afterTheft = await Assert.ThrowsAsync<RpcException>(() => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = second.RefreshToken }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, afterTheft.StatusCode);
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token()
    {
        var (_, tokens) = await auth.SignUpAsync($"l{Guid.NewGuid().ToString("N")[..12]}");

        await auth.Auth.LogoutAsync(new LogoutRequest { RefreshToken = tokens.RefreshToken });

        var e = await Assert.ThrowsAsync<RpcException>(() => auth.Auth.RefreshAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
    }

    [Fact]
    public void The_signing_key_is_generated_once_into_the_data_directory_and_kept_private()
    {
        var path = Path.Combine(auth.Server.DataDirectory, SigningKeys.DefaultFileName);
        Assert.True(File.Exists(path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }

        Assert.True(Convert.FromBase64String(File.ReadAllText(path).Trim()).Length >= 32);
    }
}
