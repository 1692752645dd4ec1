using System.Buffers.Binary;
using Grpc.Core;

namespace Tessera.Users.Tests;

public sealed class PasswordHashingTests
{
    private const string Password = "correct horse battery staple";

    // PBKDF2 at 220,000 iterations is slow on purpose; hash once for the whole class.
    private static readonly PasswordHashing Hasher = new();
    private static readonly Lazy<string> SharedHash = new(() => Hasher.Hash(Password));

    [Fact]
    public void The_hash_does_not_contain_the_password()
    {
        Assert.NotEqual(Password, SharedHash.Value);
        Assert.DoesNotContain(Password, SharedHash.Value, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(Password)), SharedHash.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_right_password_verifies() => Assert.True(Hasher.Verify(SharedHash.Value, Password));

    [Theory]
    [InlineData("correct horse battery stapl")]
    [InlineData("Correct horse battery staple")]
    [InlineData("correct horse battery staple ")]
    [InlineData("")]
    public void A_wrong_password_is_rejected(string wrong) => Assert.False(Hasher.Verify(SharedHash.Value, wrong));

    [Fact]
    public void Each_hash_has_its_own_salt()
    {
        var second = Hasher.Hash(Password);

        Assert.NotEqual(SharedHash.Value, second);
        Assert.True(Hasher.Verify(second, Password));
    }

    [Fact]
    public void The_hash_is_identity_v3_pbkdf2_hmacsha512_at_220000_iterations()
    {
        var bytes = Convert.FromBase64String(SharedHash.Value);

        Assert.Equal(0x01, bytes[0]);
        Assert.Equal(2u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1)));
        Assert.Equal(220_000u, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
        Assert.Equal((uint)PasswordHashing.Iterations, BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5)));
        var saltLength = (int)BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        Assert.True(saltLength >= 16, $"salt of {saltLength} bytes");
        Assert.True(bytes.Length - 13 - saltLength >= 32, "a 256-bit subkey");
    }
}

public sealed class PasswordHashingGateTests
{
    [Fact]
    public async Task Past_the_concurrency_and_the_queue_a_hash_is_refused_with_RetryInfo_and_the_others_finish()
    {
        using var hashing = new PasswordHashing(concurrency: 1, queueLimit: 1);

        var calls = Enumerable.Range(0, 4).Select(i => hashing.HashAsync($"password-{i}", default)).ToList();
        var outcomes = await Task.WhenAll(calls.Select(async call =>
        {
            try
            {
                return (Hash: await call, Error: (Grpc.Core.RpcException?)null);
            }
            catch (Grpc.Core.RpcException e)
            {
                return (Hash: (string?)null, Error: e);
            }
        }));

        Assert.Equal(2, outcomes.Count(o => o.Hash is not null));
        Assert.All(outcomes.Where(o => o.Error is not null), o =>
        {
            Assert.Equal(Grpc.Core.StatusCode.ResourceExhausted, o.Error!.StatusCode);
            var status = o.Error.GetRpcStatus()!;
            Assert.Equal("PASSWORD_HASHING_BUSY", status.GetDetail<Google.Rpc.ErrorInfo>().Reason);
            Assert.True(status.GetDetail<Google.Rpc.RetryInfo>().RetryDelay.ToTimeSpan() > TimeSpan.Zero);
        });
        Assert.True(await hashing.VerifyAsync(outcomes.First(o => o.Hash is not null).Hash!, "password-0", default)
            || await hashing.VerifyAsync(outcomes.Last(o => o.Hash is not null).Hash!, "password-1", default));
    }
}
