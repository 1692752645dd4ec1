using System.Security.Cryptography;
using Grpc.Core;
using Microsoft.IdentityModel.JsonWebTokens;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Tessera.Users.Auth;

namespace Tessera.IntegrationTests.Security;

/// <summary>
/// A rolling key rotation, restarting one server on one data directory as a replica would be redeployed:
/// [old] signs a token; [new, old] still accepts it and signs with the new key; [new] alone refuses the old token.
/// </summary>
public sealed class KeyRotationTests
{
    private static readonly string OldKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private static readonly string NewKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

    static KeyRotationTests()
    {
        Environment.SetEnvironmentVariable("TESSERA_ADMIN_PASSWORD", AuthServer.AdminPassword);
    }

    [Fact]
    public async Task A_token_signed_with_the_old_key_verifies_while_the_old_key_is_listed_and_is_refused_once_it_is_dropped()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        string oldToken;
        await using (var before = await StartAsync(OldKey, dataDirectory))
        {
            oldToken = (await Login(before)).AccessToken;
            Assert.Equal(StatusCode.OK, await GetAdminWith(before, oldToken));
        }

        await using (var rotating = await StartAsync($"{NewKey},{OldKey}", dataDirectory))
        {
            Assert.Equal(StatusCode.OK, await GetAdminWith(rotating, oldToken));
            var newToken = (await Login(rotating)).AccessToken;
            Assert.Equal(KeyIdOf(NewKey), new JsonWebToken(newToken).Kid);
            Assert.Equal(KeyIdOf(OldKey), new JsonWebToken(oldToken).Kid);
        }

        await using var after = await StartAsync(NewKey, dataDirectory);
        Assert.Equal(StatusCode.Unauthenticated, await GetAdminWith(after, oldToken));
        Assert.Equal(StatusCode.OK, await GetAdminWith(after, (await Login(after)).AccessToken));
    }

    [Fact]
    public async Task Keys_may_be_listed_one_a_line_in_the_key_file()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var keyFile = Path.Combine(dataDirectory, "keys");
        await File.WriteAllTextAsync(keyFile, $"{NewKey}\n{OldKey}\n");

        await using var server = TesseraServer.With(["--jwt-key-file", keyFile], dataDirectory);
        await server.InitializeAsync();

        var token = (await Login(server)).AccessToken;
        Assert.Equal(KeyIdOf(NewKey), new JsonWebToken(token).Kid);
    }

    private static string KeyIdOf(string base64) => SigningKeys.KeyId(Convert.FromBase64String(base64));

    private static async Task<TesseraServer> StartAsync(string keys, string dataDirectory)
    {
        var server = TesseraServer.With(["--jwt-key", keys], dataDirectory);
        await server.InitializeAsync();
        return server;
    }

    private static async Task<TokenPair> Login(TesseraServer server) =>
        (await new Tessera.Contracts.Auth.V1.AuthService.AuthServiceClient(server.Channel).LoginAsync(
            new LoginRequest { Username = "admin", Password = AuthServer.AdminPassword })).Tokens;

    private static async Task<StatusCode> GetAdminWith(TesseraServer server, string token)
    {
        try
        {
            var me = new JsonWebToken(token).Subject;
            await server.Users.GetUserAsync(new GetUserRequest { UserId = long.Parse(me, System.Globalization.CultureInfo.InvariantCulture) }, AuthServer.Bearer(token));
            return StatusCode.OK;
        }
        catch (RpcException e)
        {
            return e.StatusCode;
        }
    }
}
