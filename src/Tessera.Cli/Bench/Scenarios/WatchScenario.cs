using Tessera.Contracts;
using System.Diagnostics;
using Grpc.Core;
using Tessera.Cli.Output;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Bench.Scenarios;

/// <summary>
/// WatchUserChanges fan-out: <see cref="BenchSettings.Watchers"/> watch streams from one revision, then CreateUser at
/// <see cref="BenchSettings.Rate"/> per second; each delivery's latency is taken from the change's timestamp (set by
/// the server inside the write transaction, before the commit) to its arrival. With <c>idle</c>, the streams are only
/// held open for the duration (server memory per idle stream). The changes are made through
/// <c>writes</c>: the watched server, or another replica on the same database (<c>--write-address</c>), so the
/// latency then includes the way between replicas.
/// </summary>
internal static class WatchScenario
{
    private static readonly TimeSpan SetupDeadline = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DrainDeadline = TimeSpan.FromSeconds(10);

    public static async Task<BenchReport> RunAsync(
        BenchSettings settings, BenchConnections connections, BenchConnections writes, string address, bool idle, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = new UserService.UserServiceClient(writes.Invokers[0]);
        var users = new UniqueUsers(withPassword: false);

        // Every watcher starts from one known revision (a one-user BulkCreateUsers reports it), so none can miss
        // the warm-up change by subscribing after it, and each must receive exactly the changes made after it.
        var from = await CurrentRevisionAsync(writer, users, writes, cancellationToken).ConfigureAwait(false);
        var watchers = Enumerable.Range(0, settings.Watchers).Select(i => new Watcher(connections, i, from, stop.Token)).ToArray();
        var readers = watchers.Select(watcher => watcher.ReadAsync(stop.Token)).ToArray();
        var errors = new SortedDictionary<string, long>(StringComparer.Ordinal);
        try
        {
            // Warm-up: one change every watcher must see before anything is measured (it proves the streams are open).
            _ = await writer.CreateUserAsync(users.Next(), writes.Options(cancellationToken)).ConfigureAwait(false);
            var established = await WaitUntilAsync(() => watchers.All(w => w.Received >= 1 || w.Failed is not null), SetupDeadline, cancellationToken).ConfigureAwait(false);
            CountFailures(watchers, errors, established ? null : "NOT_ESTABLISHED", expected: 1);
            var duration = settings.Duration ?? TimeSpan.FromSeconds(10);
            var clock = Stopwatch.StartNew();
            long changes = 0;
            var writeSeconds = 0.0;
            if (idle)
            {
                await Task.Delay(duration, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                foreach (var watcher in watchers)
                {
                    watcher.Measuring = true;
                }

                changes = await WriteAtRateAsync(settings, writes, writer, users, duration, errors, cancellationToken).ConfigureAwait(false);
                writeSeconds = clock.Elapsed.TotalSeconds;
                var expected = 1 + changes;
                _ = await WaitUntilAsync(() => watchers.All(w => w.Received >= expected || w.Failed is not null), DrainDeadline, cancellationToken).ConfigureAwait(false);
                CountFailures(watchers, errors, "MISSED", expected);
            }

            var seconds = clock.Elapsed.TotalSeconds;
            foreach (var watcher in watchers)
            {
                watcher.Measuring = false;
            }

            var latency = new LatencyHistogram();
            foreach (var watcher in watchers)
            {
                latency.Add(watcher.Latency);
            }

            var open = watchers.Count(w => w.Failed is null);
            return new BenchReport
            {
                Scenario = BenchScenarioNames.Of(settings.Scenario),
                Address = address,
                Connections = settings.Connections,
                Concurrency = settings.Watchers,
                Seconds = Math.Round(idle ? seconds : writeSeconds, 3),
                Requests = idle ? open : latency.Count,
                Items = idle ? open : latency.Count,
                ErrorsByCode = errors,
                LatencyMs = LatencySummary.From(latency),
                Extra = new SortedDictionary<string, double>(StringComparer.Ordinal)
                {
                    ["watchers"] = settings.Watchers,
                    ["watchers_open"] = open,
                    ["changes"] = changes,
                    ["changes_per_second"] = idle ? 0 : Math.Round(changes / writeSeconds, 1),
                },
            };
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(readers).ConfigureAwait(false);
            foreach (var watcher in watchers)
            {
                watcher.Dispose();
            }
        }
    }

    /// <summary>Creates users at the rate, each at its own scheduled time, with up to Concurrency writes in flight; returns how many were committed.</summary>
    private static async Task<long> WriteAtRateAsync(
        BenchSettings settings, BenchConnections connections, UserService.UserServiceClient writer, UniqueUsers users, TimeSpan duration,
        SortedDictionary<string, long> errors, CancellationToken cancellationToken)
    {
        var total = (long)(settings.Rate * duration.TotalSeconds);
        long next = -1;
        long committed = 0;
        var start = Stopwatch.GetTimestamp();
        var tasks = Enumerable.Range(0, Math.Max(1, settings.Concurrency)).Select(_ => Task.Run(async () =>
        {
            long k;
            // Stops at the count or at the end of the duration, whichever comes first: a server that cannot keep
            // the rate shows as changes_per_second below the rate, not as a run that never ends.
            while ((k = Interlocked.Increment(ref next)) < total && Stopwatch.GetElapsedTime(start) < duration && !cancellationToken.IsCancellationRequested)
            {
                var due = TimeSpan.FromSeconds((double)k / settings.Rate) - Stopwatch.GetElapsedTime(start);
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due, cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    await writer.CreateUserAsync(users.Next(), connections.Options(cancellationToken)).ConfigureAwait(false);
                    Interlocked.Increment(ref committed);
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                {
                    lock (errors)
                    {
                        var code = "WRITE_" + e.StatusCode.Name();
                        errors[code] = errors.GetValueOrDefault(code) + 1;
                    }
                }
            }
        }, cancellationToken));
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return committed;
    }

    private static async Task<long> CurrentRevisionAsync(UserService.UserServiceClient writer, UniqueUsers users, BenchConnections connections, CancellationToken cancellationToken)
    {
        using var call = writer.BulkCreateUsers(connections.Options(cancellationToken));
        await call.RequestStream.WriteAsync(users.Next(), cancellationToken).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        return (await call.ResponseAsync.ConfigureAwait(false)).LastRevision;
    }

    private static void CountFailures(Watcher[] watchers, SortedDictionary<string, long> errors, string? shortfall, long expected)
    {
        foreach (var watcher in watchers)
        {
            if (watcher.Failed is { } code)
            {
                errors[code] = errors.GetValueOrDefault(code) + 1;
            }
            else if (shortfall is not null && watcher.Received < expected)
            {
                errors[shortfall] = errors.GetValueOrDefault(shortfall) + (expected - watcher.Received);
            }
        }
    }

    private static async Task<bool> WaitUntilAsync(Func<bool> condition, TimeSpan deadline, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                return false;
            }

            await Task.Delay(20, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>One live watch stream and what it has received.</summary>
    private sealed class Watcher(BenchConnections connections, int index, long fromRevision, CancellationToken cancellationToken) : IDisposable
    {
        private readonly AsyncServerStreamingCall<UserEvent> call = new UserService.UserServiceClient(connections.For(index))
            .WatchUserChanges(new WatchUserRequest { StartRevision = fromRevision }, connections.Options(cancellationToken));

        private long received;

        public LatencyHistogram Latency { get; } = new();

        public long Received => Volatile.Read(ref received);

        public volatile bool Measuring;

        public string? Failed { get; private set; }

        public async Task ReadAsync(CancellationToken stop)
        {
            try
            {
                while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
                {
                    var change = call.ResponseStream.Current;
                    if (Measuring)
                    {
                        Latency.Record((long)(DateTime.UtcNow - change.Timestamp.ToDateTime()).TotalMicroseconds);
                    }

                    Interlocked.Increment(ref received);
                }

                Failed = "ENDED";
            }
            catch (RpcException e) when (!stop.IsCancellationRequested)
            {
                Failed = e.StatusCode.Name();
            }
            catch (Exception e) when (stop.IsCancellationRequested && e is RpcException or OperationCanceledException)
            {
            }
        }

        public void Dispose() => call.Dispose();
    }
}
