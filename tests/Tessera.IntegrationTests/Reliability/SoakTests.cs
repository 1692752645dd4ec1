using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Observability;
using Tessera.IntegrationTests.Operations;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// A mixed load (creates, gets, updates, deletes, searches, streamed lists, and watchers following every change) at
/// 70% of the rate the server reached at the start of the test, for <c>TESSERA_SOAK_SECONDS</c> (60 by default;
/// the full run is 600), against the real server process with its default flags. The server's resident memory,
/// threads and open file descriptors are sampled all along and printed; after a warm-up, the last third of the run
/// must hold what the first third held, within bounds that a loaded two-core machine keeps.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class SoakTests(ITestOutputHelper output)
{
    private const int Workers = 16;
    private const int WatcherCount = 3;

    /// <summary>Users kept alive: past it, a create is followed by a delete of the oldest, so the data stays the same size.</summary>
    private const int LiveUsers = 2_000;

    /// <summary>How much the last third may hold beyond the first third's highest value.</summary>
    private const long RssGrowthKb = 64 * 1024;
    private const double RssGrowthShare = 0.20;
    private const int FdBound = 16;
    private const int ThreadBound = 8;

    [Fact]
    public async Task Mixed_load_at_70_percent_of_the_measured_maximum_keeps_memory_threads_and_file_descriptors_flat()
    {
        var seconds = Environment.GetEnvironmentVariable("TESSERA_SOAK_SECONDS") is { } given ? int.Parse(given, CultureInfo.InvariantCulture) : 60;
        await using var server = await SignedInServer.StartAsync([]);
        var load = new Load(server);
        await load.SeedAsync(500);

        using var stop = new CancellationTokenSource();
        var watchers = new List<Watcher>();
        for (var i = 0; i < WatcherCount; i++)
        {
            watchers.Add(await load.StartWatcherAsync(stop.Token));
        }


        // The maximum: the workers as fast as they go, for a few seconds.
        var measuring = Stopwatch.StartNew();
        using (var measure = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await Task.WhenAll(Enumerable.Range(0, Workers).Select(worker => load.RunAsync(new Random(worker), pace: null, measure.Token)));
        }

        var maximum = load.Calls / measuring.Elapsed.TotalSeconds;
        var target = maximum * 0.7;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"maximum {maximum:0} calls/s over {measuring.Elapsed.TotalSeconds:0.0} s; the soak runs at {target:0} calls/s for {seconds} s"));

        var interval = TimeSpan.FromSeconds(Math.Clamp(seconds / 30, 2, 10));
        var samples = new List<(TimeSpan At, ProcessSample Sample, long Calls)>();
        var callsBefore = load.Calls;
        var pace = new Pace(target);
        var running = Stopwatch.StartNew();
        using var soak = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, Workers).Select(worker => load.RunAsync(new Random(1000 + worker), pace, soak.Token)).ToList();
        var lastSignIn = Stopwatch.StartNew();
        while (!soak.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(interval, soak.Token);
            }
            catch (OperationCanceledException)
            {
            }

            samples.Add((running.Elapsed, server.Sample(), load.Calls - callsBefore));
            if (lastSignIn.Elapsed > TimeSpan.FromMinutes(5))
            {
                // An access token lasts 15 minutes: sign in again well before, as a client would refresh.
                await server.SignInAsync();
                lastSignIn.Restart();
            }
        }

        await Task.WhenAll(workers);
        var soaked = load.Calls - callsBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{soaked:N0} calls in {running.Elapsed.TotalSeconds:0} s ({soaked / running.Elapsed.TotalSeconds:0} calls/s); {load.Describe()}"));
        output.WriteLine("  time   RSS MB  threads  fds   calls/s");
        for (var i = 0; i < samples.Count; i++)
        {
            var (at, sample, calls) = samples[i];
            var rate = (calls - (i == 0 ? 0 : samples[i - 1].Calls)) / (at - (i == 0 ? TimeSpan.Zero : samples[i - 1].At)).TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{at.TotalSeconds,6:0} {sample.RssMb,8:0.0} {sample.Threads,8} {sample.Fds,5} {rate,9:0}"));
        }

        // The watchers, still following: one more change reaches each of them, after every change before it in order.
        var marker = await load.CreateMarkerAsync();
        await Poll.UntilAsync(() => Task.FromResult(watchers.Min(watcher => watcher.Last)), reached => reached >= marker, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(watchers.Select(watcher => watcher.Running));
        Assert.All(watchers, watcher => Assert.True(watcher.Problem is null && watcher.Last >= marker, $"a watcher stopped at revision {watcher.Last} of {marker}: {watcher.Problem}"));
        output.WriteLine($"{WatcherCount} watchers each saw {watchers[0].Seen:N0} changes, in order, none skipped or repeated");

        Assert.True(load.Unexpected.IsEmpty, $"{load.Unexpected.Count} calls failed with a status the load does not expect:\n{string.Join("\n", load.Unexpected.Take(20))}");

        // After a warm-up (the first fifth), the last third against the first third.
        var steady = samples.Skip(samples.Count / 5).Select(entry => entry.Sample).ToList();
        Assert.True(steady.Count >= 6, $"only {steady.Count} samples after the warm-up");
        var first = steady.Take(steady.Count / 3).ToList();
        var last = steady.Skip(steady.Count - (steady.Count / 3)).ToList();
        var rssBound = first.Max(sample => sample.RssKb) + Math.Max(RssGrowthKb, (long)(first.Max(sample => sample.RssKb) * RssGrowthShare));
        output.WriteLine($"first third: RSS {first.Min(s => s.RssMb):0}-{first.Max(s => s.RssMb):0} MB, threads {first.Min(s => s.Threads)}-{first.Max(s => s.Threads)}, fds {first.Min(s => s.Fds)}-{first.Max(s => s.Fds)}; last third: RSS {last.Min(s => s.RssMb):0}-{last.Max(s => s.RssMb):0} MB, threads {last.Min(s => s.Threads)}-{last.Max(s => s.Threads)}, fds {last.Min(s => s.Fds)}-{last.Max(s => s.Fds)}");
        Assert.True(last.Max(sample => sample.RssKb) <= rssBound, $"resident memory grew: the last third reached {last.Max(s => s.RssMb):0} MB, the first third's highest was {first.Max(s => s.RssMb):0} MB (bound {rssBound / 1024} MB)");
        Assert.True(last.Max(sample => sample.Fds) <= first.Max(sample => sample.Fds) + FdBound && last.Min(sample => sample.Fds) >= first.Min(sample => sample.Fds) - FdBound, "open file descriptors drifted beyond ±16");
        Assert.True(last.Max(sample => sample.Threads) <= first.Max(sample => sample.Threads) + ThreadBound, "threads grew by more than 8");
        Assert.True(soaked >= target * seconds * 0.5, $"the load ran at {soaked / (double)seconds:0} calls/s, under half its target of {target:0}");

        var (log, errors) = await server.StopAsync();
        var failures = ServerProcess.Failures($"{log}\n{errors}");
        Assert.True(failures.Count == 0, $"the server logged {failures.Count} errors:\n{string.Join("\n", failures.Take(10))}");
    }

    /// <summary>Hands out the moments at which calls start, <paramref name="rate"/> a second, shared by every worker.</summary>
    private sealed class Pace(double rate)
    {
        private readonly Stopwatch clock = Stopwatch.StartNew();
        private long next;

        /// <summary>Waits for the next call's moment; one that falls more than a second behind is skipped, not caught up in a burst.</summary>
        public async Task WaitAsync(CancellationToken cancellationToken)
        {
            var slot = Interlocked.Increment(ref next);
            var due = TimeSpan.FromSeconds(slot / rate);
            var behind = clock.Elapsed - due;
            if (behind > TimeSpan.FromSeconds(1))
            {
                Interlocked.Add(ref next, (long)(behind.TotalSeconds * rate));
                return;
            }

            if (behind < TimeSpan.Zero)
            {
                await Task.Delay(-behind, cancellationToken);
            }
        }
    }

    private sealed class Watcher(long from)
    {
        private long last = from;

        public long Last
        {
            get => Volatile.Read(ref last);
            set => Volatile.Write(ref last, value);
        }

        public long Seen { get; set; }

        public string? Problem { get; set; }

        public Task Running { get; set; } = Task.CompletedTask;
    }

    /// <summary>The mixed load and what it saw.</summary>
    private sealed class Load(SignedInServer server)
    {
        private readonly ConcurrentQueue<long> live = new();
        private readonly ConcurrentDictionary<string, int> counts = new();
        private int created;
        private long calls;

        public long Calls => Interlocked.Read(ref calls);

        public ConcurrentQueue<string> Unexpected { get; } = new();

        private UserService.UserServiceClient Users => server.Users;

        public async Task SeedAsync(int count)
        {
            for (var i = 0; i < count; i++)
            {
                live.Enqueue((await Users.CreateUserAsync(NewUser(), server.Admin)).User.Id);
            }
        }

        public string Describe() => string.Join(", ", counts.OrderBy(pair => pair.Key, StringComparer.Ordinal).Select(pair => $"{pair.Key} {pair.Value:N0}"));

        /// <summary>One worker: calls of every kind, at the pace given (as fast as it goes without one), until cancelled.</summary>
        public async Task RunAsync(Random random, Pace? pace, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                try
                {
                    if (pace is not null)
                    {
                        await pace.WaitAsync(cancellationToken);
                    }

                    await OneAsync(random);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }
        }

        public async Task<long> CreateMarkerAsync()
        {
            await Users.CreateUserAsync(NewUser(), server.Admin);
            return (await Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 }, server.Admin)).Revision;
        }

        /// <summary>A watcher from the current revision: every change must come once, in order, none skipped (SQLite numbers them without gaps).</summary>
        public async Task<Watcher> StartWatcherAsync(CancellationToken cancellationToken)
        {
            var watcher = new Watcher((await Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 }, server.Admin, cancellationToken: cancellationToken)).Revision);
            watcher.Running = Task.Run(async () =>
            {
                try
                {
                    using var watch = Users.WatchUserChanges(new WatchUserRequest { StartRevision = watcher.Last }, server.Admin, cancellationToken: cancellationToken);
                    await foreach (var change in watch.ResponseStream.ReadAllAsync(cancellationToken))
                    {
                        if (change.Revision != watcher.Last + 1)
                        {
                            watcher.Problem = $"revision {change.Revision} came after {watcher.Last}";
                            return;
                        }

                        watcher.Last = change.Revision;
                        watcher.Seen++;
                    }

                    watcher.Problem = "the watch ended by itself";
                }
                catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException { StatusCode: StatusCode.Cancelled })
                {
                }
                catch (RpcException e)
                {
                    watcher.Problem = $"{e.StatusCode}: {e.Status.Detail}";
                }
            }, CancellationToken.None);
            return watcher;
        }

        private async Task OneAsync(Random random)
        {
            var roll = random.Next(100);
            var (kind, call) = roll switch
            {
                < 15 => ("create", CreateAsync()),
                < 30 => ("update", UpdateAsync(random)),
                < 70 => ("get", GetAsync(random)),
                < 85 => ("search", SearchAsync(random)),
                _ => ("list", ListAsync(random)),
            };
            try
            {
                await call;
                counts.AddOrUpdate($"{kind} OK", 1, (_, n) => n + 1);
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                // A user another worker deleted a moment before.
                counts.AddOrUpdate($"{kind} NOT_FOUND", 1, (_, n) => n + 1);
            }
            catch (RpcException e)
            {
                counts.AddOrUpdate($"{kind} {e.StatusCode}", 1, (_, n) => n + 1);
                Unexpected.Enqueue($"{kind}: {e.StatusCode} {e.Status.Detail}");
            }

            Interlocked.Increment(ref calls);
        }

        private long Pick(Random random)
        {
            var ids = live.ToArray();
            return ids.Length == 0 ? 1 : ids[random.Next(ids.Length)];
        }

        private async Task CreateAsync()
        {
            live.Enqueue((await Users.CreateUserAsync(NewUser(), server.Admin)).User.Id);
            if (live.Count > LiveUsers && live.TryDequeue(out var oldest))
            {
                await Users.DeleteUserAsync(new DeleteUserRequest { UserId = oldest }, server.Admin);
                counts.AddOrUpdate("delete OK", 1, (_, n) => n + 1);
            }
        }

        private Task UpdateAsync(Random random) =>
            Users.UpdateUserAsync(new UpdateUserRequest { UserId = Pick(random), User = new User { FullName = $"Soak {random.Next()}" }, UpdateMask = new Google.Protobuf.WellKnownTypes.FieldMask { Paths = { "full_name" } } }, server.Admin).ResponseAsync;

        private Task GetAsync(Random random) => Users.GetUserAsync(new GetUserRequest { UserId = Pick(random) }, server.Admin).ResponseAsync;

        private Task SearchAsync(Random random) =>
            Users.SearchUsersAsync(new SearchUsersRequest { PageSize = 20, Filter = $"username:\"soak-{random.Next(10)}*\"" }, server.Admin).ResponseAsync;

        private async Task ListAsync(Random random)
        {
            using var list = Users.ListUsers(new ListUsersRequest { Page = random.Next(1, 20), PageSize = 20 }, server.Admin);
            await foreach (var _ in list.ResponseStream.ReadAllAsync())
            {
            }
        }

        private CreateUserRequest NewUser()
        {
            var username = $"soak-{Interlocked.Increment(ref created)}";
            return new CreateUserRequest { Username = username, Email = $"{username}@example.com", FullName = "Soak" };
        }
    }
}
