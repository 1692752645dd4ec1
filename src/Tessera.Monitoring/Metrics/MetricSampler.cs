using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Monitoring.Metrics;

/// <summary>
/// Reads the live values once per tick of one interval: counts since start, and rates, latency quantiles and CPU over
/// the time since its previous reading. Not thread-safe: one sampler belongs to one ticking loop.
/// </summary>
public sealed class MetricSampler
{
    private readonly CallMeter calls;
    private readonly StoreSizes? stores;
    private readonly TimeProvider clock;
    private readonly Dictionary<string, Reading> previous = new(StringComparer.Ordinal);
    private readonly long[] scratch = new long[LatencyBuckets.Count];
    private TimeSpan previousCpu;
    private long previousAt;

    public MetricSampler(CallMeter calls, StoreSizes? stores, TimeProvider clock)
    {
        this.calls = calls;
        this.stores = stores;
        this.clock = clock;
        Sample();
    }

    /// <summary>One MetricData per service that has metrics, all with the same timestamp.</summary>
    public IReadOnlyList<MetricData> Sample()
    {
        var at = clock.GetTimestamp();
        var seconds = previousAt == 0 ? 0 : clock.GetElapsedTime(previousAt, at).TotalSeconds;
        var timestamp = Timestamp.FromDateTimeOffset(clock.GetUtcNow());
        var byService = new Dictionary<string, MetricData>(StringComparer.Ordinal);
        MetricData For(string service)
        {
            if (!byService.TryGetValue(service, out var data))
            {
                byService[service] = data = new MetricData { ServiceName = service, Timestamp = timestamp };
            }

            return data;
        }

        foreach (var (method, counts) in calls.Methods)
        {
            var finished = counts.Finished;
            counts.ReadBuckets(scratch);
            var before = previous.TryGetValue(method, out var reading) ? reading : new Reading(0, new long[LatencyBuckets.Count]);
            var metrics = For(ServiceNames.OfMethod(method)).Metrics;
            metrics[MetricNames.ForMethod(MetricNames.Requests, method)] = finished;
            metrics[MetricNames.ForMethod(MetricNames.RequestRate, method)] = seconds > 0 ? (finished - before.Finished) / seconds : 0;
            metrics[MetricNames.ForMethod(MetricNames.LatencyP50, method)] = LatencyBuckets.Quantile(scratch, before.Buckets, 0.50);
            metrics[MetricNames.ForMethod(MetricNames.LatencyP99, method)] = LatencyBuckets.Quantile(scratch, before.Buckets, 0.99);
            scratch.CopyTo(before.Buckets, 0);
            previous[method] = before with { Finished = finished };
        }

        var process = For(ServiceNames.Process).Metrics;
        process[MetricNames.InFlight] = calls.InFlight;
        using (var self = Process.GetCurrentProcess())
        {
            var cpu = self.TotalProcessorTime;
            process[MetricNames.CpuPercent] = seconds > 0 ? Math.Round((cpu - previousCpu).TotalSeconds / seconds * 100, 2) : 0;
            previousCpu = cpu;
        }

        process[MetricNames.WorkingSet] = Environment.WorkingSet;
        process[MetricNames.GcHeap] = GC.GetGCMemoryInfo().HeapSizeBytes;
        foreach (var size in stores?.Current() ?? [])
        {
            For(size.Service).Metrics[MetricNames.Labelled(MetricNames.StoreSize, size.Label)] = size.Bytes;
        }

        previousAt = at;
        return [.. byService.Values];
    }

    private sealed record Reading(long Finished, long[] Buckets);
}
