using Google.Rpc;
using Grpc.Core;
using Tessera.Users.Auth;

namespace Tessera.Users.Tests;

public sealed class SignInThrottleTests
{
    private readonly ManualClock clock = new();
    private readonly SignInThrottle throttle;

    public SignInThrottleTests()
    {
        throttle = new SignInThrottle(clock);
    }

    [Fact]
    public void Five_failures_are_free_then_the_wait_doubles_up_to_15_seconds()
    {
        var account = SignInThrottle.AccountKey(7, "alice");
        for (var i = 0; i < 4; i++)
        {
            throttle.Failed(account, $"10.0.0.{i}");
            throttle.ThrowIfBlocked(account, "10.0.0.99");
        }

        var waits = new List<double>();
        for (var i = 0; i < 8; i++)
        {
            throttle.Failed(account, $"10.0.1.{i}");
            waits.Add(RetryDelay(() => throttle.ThrowIfBlocked(account, "10.0.0.99")).TotalSeconds);
            clock.Advance(TimeSpan.FromSeconds(waits[^1]));
            throttle.ThrowIfBlocked(account, "10.0.0.99");
        }

        Assert.Equal([1, 2, 4, 8, 15, 15, 15, 15], waits);
    }

    [Fact]
    public void A_success_clears_the_account_and_old_failures_are_forgotten()
    {
        var account = SignInThrottle.AccountKey(7, "alice");
        for (var i = 0; i < 5; i++)
        {
            throttle.Failed(account, "10.0.0.1");
        }

        clock.Advance(TimeSpan.FromSeconds(1));
        throttle.Succeeded(account);
        throttle.Failed(account, "10.0.0.1");
        throttle.ThrowIfBlocked(account, "10.0.0.2");

        var other = SignInThrottle.AccountKey(8, "bob");
        for (var i = 0; i < 4; i++)
        {
            throttle.Failed(other, "10.0.0.3");
        }

        clock.Advance(TimeSpan.FromMinutes(16));
        throttle.Failed(other, "10.0.0.3");
        throttle.ThrowIfBlocked(other, "10.0.0.4");
    }

    [Fact]
    public void Unknown_logins_are_throttled_like_known_accounts()
    {
        var unknown = SignInThrottle.AccountKey(null, "Nobody@Example.com");
        for (var i = 0; i < 5; i++)
        {
            throttle.Failed(unknown, $"10.0.0.{i}");
        }

        var e = Assert.Throws<RpcException>(() => throttle.ThrowIfBlocked(SignInThrottle.AccountKey(null, "nobody@example.com"), "10.0.0.99"));
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        Assert.Equal("LOGIN_THROTTLED", e.GetRpcStatus()!.GetDetail<ErrorInfo>().Reason);
    }

    [Fact]
    public void One_address_failing_on_many_accounts_is_throttled_after_twenty()
    {
        for (var i = 0; i < 20; i++)
        {
            throttle.Failed(SignInThrottle.AccountKey(i, $"user{i}"), "10.9.9.9");
        }

        Assert.Equal(1, RetryDelay(() => throttle.ThrowIfBlocked(SignInThrottle.AccountKey(999, "fresh"), "10.9.9.9")).TotalSeconds);
        throttle.ThrowIfBlocked(SignInThrottle.AccountKey(999, "fresh"), "10.1.1.1");
    }

    private static TimeSpan RetryDelay(Action call)
    {
        var e = Assert.Throws<RpcException>(call);
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);
        return e.GetRpcStatus()!.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan();
    }
}
