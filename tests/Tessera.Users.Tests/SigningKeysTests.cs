using System.Security.Cryptography;
using Tessera.Users.Auth;

namespace Tessera.Users.Tests;

public sealed class SigningKeysTests
{
    private static readonly string First = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
    private static readonly string Second = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static IReadOnlyList<Microsoft.IdentityModel.Tokens.SymmetricSecurityKey> Resolve(string keys) =>
        SigningKeys.Resolve(keys, null, Path.Combine(Path.GetTempPath(), "unused"));

    [Theory]
    [InlineData(",")]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData(" , ")]
    public void A_list_keeps_its_order_and_every_replica_names_each_key_alike(string separator)
    {
        var keys = Resolve($"{First}{separator}{Second}\n");

        Assert.Equal([Convert.FromBase64String(First), Convert.FromBase64String(Second)], keys.Select(k => k.Key));
        Assert.Equal(keys.Select(k => k.KeyId), Resolve($"{First},{Second}").Select(k => k.KeyId));
        Assert.NotEqual(keys[0].KeyId, keys[1].KeyId);
    }

    [Theory]
    [InlineData("", "the configured JWT key holds no key")]
    [InlineData(" ,\n", "the configured JWT key holds no key")]
    [InlineData("not-base64!", "the configured JWT key is not base64")]
    [InlineData("c2hvcnQ=", "the configured JWT key is 5 bytes; a JWT signing key needs at least 32")]
    public void A_key_that_cannot_sign_is_refused_with_a_reason(string keys, string message)
    {
        Assert.Equal(message, Assert.Throws<InvalidOperationException>(() => Resolve(keys)).Message);
    }

    [Fact]
    public void In_a_list_the_refusal_names_the_key_by_position_and_says_when_a_key_was_wrapped_and_a_repeated_key_is_refused()
    {
        Assert.Equal("key 2 of the configured JWT key is 5 bytes; a JWT signing key needs at least 32",
            Assert.Throws<InvalidOperationException>(() => Resolve($"{First},c2hvcnQ=")).Message);
        var wrapped = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)).Insert(64, "\n");
        Assert.EndsWith("(a key wrapped over several lines reads as several keys: write each key on one line, e.g. openssl rand -base64 48)",
            Assert.Throws<InvalidOperationException>(() => Resolve(wrapped)).Message, StringComparison.Ordinal);
        Assert.Equal("the configured JWT key lists key 2 twice",
            Assert.Throws<InvalidOperationException>(() => Resolve($"{First},{First}")).Message);
    }
}
