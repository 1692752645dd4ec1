using Tessera.Contracts;
using System.Diagnostics;
using Grpc.Core;
using Tessera.Cli.Output;

namespace Tessera.Cli.Bench;

/// <summary>One operation of a closed-loop scenario: makes one call (or stream) and returns the items it carried.</summary>
internal delegate Task<long> BenchOperation(int worker, CallInvoker invoker, CancellationToken cancellationToken);

/// <summary>
/// Closed-loop load: <see cref="BenchSettings.Concurrency"/> workers, each making one call after another on its
/// connection, first for the warm-up (not measured), then for the duration or until the count is reached. With
/// <see cref="BenchSettings.CallsPerSecond"/> each worker starts its calls on a schedule of its own instead (the
/// workers' schedules interleaved), so the load is offered at that rate whatever the latency; a worker whose call
/// outlasts its slot starts the next one at once.
/// </summary>
internal static class LoadRunner
{
    public static async Task<BenchReport> RunAsync(BenchSettings settings, BenchConnections connections, string address, BenchOperation operation, CancellationToken cancellationToken)
    {
        var warmupTicks = (long)(settings.Warmup.TotalSeconds * Stopwatch.Frequency);
        var durationTicks = settings.Duration is { } duration ? (long)(duration.TotalSeconds * Stopwatch.Frequency) : long.MaxValue;
        var remaining = settings.Count ?? long.MaxValue;
        var start = Stopwatch.GetTimestamp();
        var measureFrom = start + warmupTicks;
        var lastEnd = measureFrom;
        var interval = settings.CallsPerSecond is { } rate ? (double)Stopwatch.Frequency * settings.Concurrency / rate : 0;
        var workers = Enumerable.Range(0, settings.Concurrency).Select(worker => Task.Run(async () =>
        {
            var tally = new WorkerTally();
            var invoker = connections.For(worker);
            var due = start + (interval * worker / settings.Concurrency);
            while (!cancellationToken.IsCancellationRequested)
            {
                if (interval > 0)
                {
                    var wait = (long)due - Stopwatch.GetTimestamp();
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency), cancellationToken).ConfigureAwait(false);
                    }

                    due += interval;
                }

                var began = Stopwatch.GetTimestamp();
                var measured = began >= measureFrom;
                if (measured && (began - measureFrom >= durationTicks || Interlocked.Decrement(ref remaining) < 0))
                {
                    break;
                }

                try
                {
                    var items = await operation(worker, invoker, cancellationToken).ConfigureAwait(false);
                    if (measured)
                    {
                        tally.Latency.Record(Micros(Stopwatch.GetTimestamp() - began));
                        tally.Items += items;
                    }
                }
                catch (RpcException e) when (!cancellationToken.IsCancellationRequested)
                {
                    if (measured)
                    {
                        tally.Fail(e.StatusCode.Name());
                    }
                }

                if (measured)
                {
                    tally.LastEnd = Stopwatch.GetTimestamp();
                }
            }

            return tally;
        }, cancellationToken)).ToArray();

        var tallies = await Task.WhenAll(workers).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var total = WorkerTally.Merge(tallies);
        lastEnd = Math.Max(lastEnd, tallies.Max(t => t.LastEnd));
        return new BenchReport
        {
            Scenario = BenchScenarioNames.Of(settings.Scenario),
            Address = address,
            Connections = settings.Connections,
            Concurrency = settings.Concurrency,
            Seconds = Math.Round((double)(lastEnd - measureFrom) / Stopwatch.Frequency, 3),
            Requests = total.Latency.Count,
            Items = total.Items,
            ErrorsByCode = total.Errors,
            LatencyMs = LatencySummary.From(total.Latency),
        };
    }

    public static long Micros(long stopwatchTicks) => stopwatchTicks * 1_000_000 / Stopwatch.Frequency;
}

/// <summary>What one worker measured; merged into the run's figures at the end.</summary>
internal sealed class WorkerTally
{
    public LatencyHistogram Latency { get; } = new();

    public long Items { get; set; }

    public long LastEnd { get; set; }

    public SortedDictionary<string, long> Errors { get; } = new(StringComparer.Ordinal);

    public void Fail(string code) => Errors[code] = Errors.GetValueOrDefault(code) + 1;

    public static WorkerTally Merge(IEnumerable<WorkerTally> tallies)
    {
        var total = new WorkerTally();
        foreach (var tally in tallies)
        {
            total.Latency.Add(tally.Latency);
            total.Items += tally.Items;
            total.LastEnd = Math.Max(total.LastEnd, tally.LastEnd);
            foreach (var (code, count) in tally.Errors)
            {
                total.Errors[code] = total.Errors.GetValueOrDefault(code) + count;
            }
        }

        return total;
    }
}
