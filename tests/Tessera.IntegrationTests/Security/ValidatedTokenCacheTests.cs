using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Tessera.Server.Security;

namespace Tessera.IntegrationTests.Security;

/// <summary>What the validated-token cache may skip (verifying a token again) and what it must not (an expired or invalid one).</summary>
public sealed class ValidatedTokenCacheTests
{
    private static readonly SymmetricSecurityKey Key = new(RandomNumberGenerator.GetBytes(64));

    private static readonly TokenValidationParameters Parameters = new()
    {
        ValidIssuer = "tessera",
        ValidAudience = "tessera",
        IssuerSigningKey = Key,
        ClockSkew = TimeSpan.FromSeconds(30),
    };

    [Fact]
    public async Task A_valid_token_is_verified_once_and_its_identity_is_answered_again_until_it_expires()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var inner = new CountingHandler();
        var cache = new ValidatedTokenCache(inner, clock);
        var token = Issue(TimeSpan.FromMinutes(15), Key);

        var first = await cache.ValidateTokenAsync(token, Parameters);
        var second = await cache.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal("42", second.ClaimsIdentity.FindFirst("sub")?.Value);
        Assert.Equal(1, inner.Validations);

        // Past its expiry and the clock skew, the cache no longer answers: the token is verified again.
        clock.Now += TimeSpan.FromMinutes(15) + TimeSpan.FromSeconds(31);
        await cache.ValidateTokenAsync(token, Parameters);
        Assert.Equal(2, inner.Validations);
    }

    [Fact]
    public async Task A_token_that_fails_is_verified_again_on_every_call()
    {
        var inner = new CountingHandler();
        var cache = new ValidatedTokenCache(inner, new ManualClock(DateTimeOffset.UtcNow));
        var forged = Issue(TimeSpan.FromMinutes(15), new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)));

        Assert.False((await cache.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.False((await cache.ValidateTokenAsync(forged, Parameters)).IsValid);
        Assert.Equal(2, inner.Validations);
    }

    /// <summary>
    /// fuzz/regressions/jwt: token payloads (found by the jwt fuzz target) with a claim that is not valid UTF-8. Signed,
    /// they validated and then threw when their identity was first read, failing the call instead of refusing the token.
    /// </summary>
    [Fact]
    public async Task A_signed_token_whose_claims_cannot_be_read_is_refused_every_time()
    {
        var cache = new ValidatedTokenCache(new JsonWebTokenHandler { MapInboundClaims = false }, new ManualClock(DateTimeOffset.UtcNow));
        var payloads = Directory.GetFiles(Path.Combine(Peers.RepositoryRoot, "fuzz", "regressions", "jwt"));
        Assert.NotEmpty(payloads);
        foreach (var payload in payloads)
        {
            var token = Sign(File.ReadAllBytes(payload), Key);
            for (var call = 0; call < 2; call++)
            {
                var result = await cache.ValidateTokenAsync(token, Parameters);
                Assert.False(result.IsValid, payload);
                Assert.IsType<SecurityTokenMalformedException>(result.Exception);
            }
        }
    }

    /// <summary>A JWT of exactly these payload bytes, signed with HMAC-SHA256.</summary>
    private static string Sign(byte[] payload, SymmetricSecurityKey key)
    {
        var signed = $"{Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8)}.{Base64Url.EncodeToString(payload)}";
        return $"{signed}.{Base64Url.EncodeToString(HMACSHA256.HashData(key.Key, Encoding.ASCII.GetBytes(signed)))}";
    }

    private static string Issue(TimeSpan lifetime, SymmetricSecurityKey key) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Issuer = "tessera",
        Audience = "tessera",
        Claims = new Dictionary<string, object> { ["sub"] = "42" },
        Expires = DateTime.UtcNow + lifetime,
        SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
    });

    private sealed class CountingHandler : TokenHandler
    {
        private readonly JsonWebTokenHandler inner = new();
        private int validations;

        public int Validations => validations;

        public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters)
        {
            Interlocked.Increment(ref validations);
            return inner.ValidateTokenAsync(token, validationParameters);
        }
    }

    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
