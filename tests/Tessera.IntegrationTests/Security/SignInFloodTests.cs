using System.Diagnostics;
using Google.Rpc;
using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Security;

/// <summary>
/// Sign-in is not a denial-of-service door: guesses are throttled before hashing, and hashing never takes the cores
/// from other callers. Run alone (not beside other test classes, whose in-process servers hash on the same cores).
/// </summary>
[Collection(SignInFloodRunsAlone.Name)]
public sealed class SignInFloodTests(AuthServer auth, ITestOutputHelper output) : IClassFixture<AuthServer>
{
    [Fact]
    public async Task Two_hundred_wrong_passwords_are_mostly_refused_before_hashing_and_the_right_one_works_after_the_back_off()
    {
        var (user, _) = await auth.SignUpAsync($"g{Guid.NewGuid().ToString("N")[..12]}");
        var stopwatch = Stopwatch.StartNew();
        var wrong = 0;
        var throttled = 0;
        var longestWait = TimeSpan.Zero;
        for (var i = 0; i < 200; i++)
        {
            try
            {
                await auth.LoginAsync(user.Username, $"guess-{i:D4}");
                Assert.Fail("a wrong password signed in");
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unauthenticated)
            {
                wrong++;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
            {
                var status = e.GetRpcStatus()!;
                Assert.Equal("LOGIN_THROTTLED", status.GetDetail<ErrorInfo>().Reason);
                var wait = status.GetDetail<RetryInfo>().RetryDelay.ToTimeSpan();
                Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));
                longestWait = wait > longestWait ? wait : longestWait;
                throttled++;
            }
        }

        var elapsed = stopwatch.Elapsed;
        output.WriteLine($"200 guesses in {elapsed.TotalMilliseconds:0} ms: {wrong} checked, {throttled} throttled before hashing; longest wait {longestWait}");
        Assert.InRange(wrong, 5, 12);
        Assert.Equal(200, wrong + throttled);
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"200 guesses took {elapsed}");

        // Throttled, the right password is refused too (no oracle); after the wait it works, and the account starts afresh.
        await Assertions.FailsWith(StatusCode.ResourceExhausted, () => auth.LoginAsync(user.Username, AuthServer.UserPassword));
        var tokens = await Poll(() => auth.LoginAsync(user.Username, AuthServer.UserPassword), TimeSpan.FromSeconds(20));
        Assert.Equal(user.Id, tokens.UserId);
        await Assertions.FailsWith(StatusCode.Unauthenticated, () => auth.LoginAsync(user.Username, "one-more-wrong-guess"));
    }

    [Fact]
    public async Task GetUser_stays_fast_while_sixteen_clients_flood_Login()
    {
        var (user, tokens) = await auth.SignUpAsync($"f{Guid.NewGuid().ToString("N")[..12]}");
        for (var i = 0; i < 20; i++)
        {
            // Warm up (JIT, caches), so the measurement is of the flood, not of the first call.
            await auth.Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, AuthServer.Bearer(tokens));
        }

        using var stop = new CancellationTokenSource();
        var logins = new int[3];
        var flood = Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var client = new AuthService.AuthServiceClient(auth.Server.Channel);
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.LoginAsync(new LoginRequest { Username = user.Username, Password = AuthServer.UserPassword }, cancellationToken: stop.Token);
                    Interlocked.Increment(ref logins[0]);
                }
                catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted)
                {
                    // Busy: retry soon, much sooner than RetryInfo asks, as an impatient client would.
                    Interlocked.Increment(ref logins[1]);
                    await Task.Delay(20, CancellationToken.None);
                }
                catch (RpcException) when (stop.IsCancellationRequested)
                {
                    Interlocked.Increment(ref logins[2]);
                }
            }
        })).ToList();

        var latencies = new List<double>();
        var measuring = Stopwatch.StartNew();
        // At least 6 s and 300 calls (at most 20 s), so that p99 is not just the single slowest call on a loaded machine.
        while ((measuring.Elapsed < TimeSpan.FromSeconds(6) || latencies.Count < 300) && measuring.Elapsed < TimeSpan.FromSeconds(20))
        {
            var call = Stopwatch.StartNew();
            await auth.Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, AuthServer.Bearer(tokens));
            latencies.Add(call.Elapsed.TotalMilliseconds);
            await Task.Delay(5);
        }

        await stop.CancelAsync();
        await Task.WhenAll(flood);
        latencies.Sort();
        var p50 = latencies[latencies.Count / 2];
        var p99 = latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1];
        output.WriteLine($"GetUser under a login flood: {latencies.Count} calls, p50 {p50:0.0} ms, p99 {p99:0.0} ms, max {latencies[^1]:0.0} ms; "
            + $"logins: {logins[0]} signed in, {logins[1]} refused busy");
        Assert.True(logins[0] >= 5, $"the flood signed in only {logins[0]} times");

        // Sixteen concurrent sign-ins are more than the hashing gate runs and queues, so some were answered busy at once.
        Assert.True(logins[1] > 0, "no sign-in was refused as busy: the hashing gate did not bound the work");

        // The bound separates a gated server from an ungated one rather than measuring speed (bench/README.md has the
        // figures): with hashing on every core, GetUser's p99 was seconds (1,478 ms from outside, 5,166 ms in this
        // test with the gate opened wide); gated, with hashes on threads of their own, it is 12-18 ms here, where
        // client, flood and server share two cores.
        Assert.True(p99 < 500, $"GetUser p99 {p99:0.0} ms under the login flood");
    }

    private static async Task<T> Poll<T>(Func<Task<T>> call, TimeSpan deadline)
    {
        var until = DateTime.UtcNow + deadline;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.ResourceExhausted && DateTime.UtcNow < until)
            {
                await Task.Delay(e.GetRpcStatus()?.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan() ?? TimeSpan.FromSeconds(1));
            }
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SignInFloodRunsAlone
{
    public const string Name = "sign-in flood (alone)";
}
