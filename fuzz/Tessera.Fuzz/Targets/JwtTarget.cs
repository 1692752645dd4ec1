using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Security;
using Tessera.Users.Auth;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// Access tokens through the server's real sign-in step (<see cref="AccessTokenAuthentication"/>: bearer header,
/// JWT validation with the remembered-token cache, then <see cref="AccessTokenChecks"/>), and refresh tokens through
/// what AuthService does with one before the store (<see cref="TokenIssuer.Hash"/>). An input that starts with
/// <c>{</c> is a JWT payload that the harness signs with the server's key, so that mutated claims reach the checks
/// behind the signature; any other input is the token as sent. Nothing is expected to throw: a bad token is an
/// anonymous call with the reason kept.
/// </summary>
internal sealed class JwtTarget : IFuzzTarget
{
    private static readonly byte[] Key = SHA256.HashData("tessera fuzz signing key"u8);

    private static readonly JwtSettings Settings = new(
        [new SymmetricSecurityKey(Key) { KeyId = SigningKeys.KeyId(Key) }], "tessera", "tessera", TimeSpan.FromMinutes(15), TimeSpan.FromDays(30));

    private static readonly AccessTokenAuthentication SignIn = new(
        _ => Task.CompletedTask,
        new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, TimeProvider.System),
        Settings,
        new ServiceCollection().BuildServiceProvider());

    private static readonly string Header = Base64Url.EncodeToString(
        Encoding.UTF8.GetBytes($$"""{"alg":"HS256","typ":"JWT","kid":"{{SigningKeys.KeyId(Key)}}"}"""));

    public string Name => "jwt";

    public void Run(byte[] input)
    {
        var text = Samples.Text(input);
        var token = text.StartsWith('{') ? Signed(input) : text;
        var context = new DefaultHttpContext();
        context.Request.Path = AccessTokenChecks.ChangePasswordPath;
        context.Request.Headers.Authorization = "Bearer " + token;
        SignIn.InvokeAsync(context).GetAwaiter().GetResult();
        TokenIssuer.Hash(text);
    }

    public bool IsExpected(Exception exception) => false;

    private static string Signed(byte[] payload)
    {
        var signedPart = $"{Header}.{Base64Url.EncodeToString(payload)}";
        var signature = HMACSHA256.HashData(Key, Encoding.ASCII.GetBytes(signedPart));
        return $"{signedPart}.{Base64Url.EncodeToString(signature)}";
    }
}
