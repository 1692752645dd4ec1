using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Monitoring.Metrics;

/// <summary>
/// What one StreamMetrics caller asked for: a name matches an exact entry when it equals it with or without its labels
/// (<c>grpc.requests</c> matches <c>grpc.requests|method=...</c>), or a prefix entry ending in <c>*</c> when it starts
/// with the text before the star. No names means every metric; no service means every service.
/// </summary>
public sealed class MetricFilter
{
    private readonly string[] exact;
    private readonly string[] prefixes;
    private readonly string service;

    public MetricFilter(IEnumerable<string> names, string service)
    {
        var all = names.ToArray();
        exact = [.. all.Where(name => !name.EndsWith('*'))];
        prefixes = [.. all.Where(name => name.EndsWith('*')).Select(name => name[..^1])];
        this.service = service;
    }

    private bool AllNames => exact.Length == 0 && prefixes.Length == 0;

    public bool Matches(string name)
    {
        if (AllNames)
        {
            return true;
        }

        var bare = MetricNames.Base(name);
        foreach (var entry in exact)
        {
            if (bare.SequenceEqual(entry) || name == entry)
            {
                return true;
            }
        }

        foreach (var prefix in prefixes)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The caller's part of a snapshot: the services it asked for, each with the metrics it asked for, none empty.</summary>
    public IEnumerable<MetricData> Apply(IReadOnlyList<MetricData> snapshot)
    {
        foreach (var data in snapshot)
        {
            if (service.Length > 0 && data.ServiceName != service)
            {
                continue;
            }

            if (AllNames)
            {
                yield return data;
                continue;
            }

            var kept = new MetricData { ServiceName = data.ServiceName, Timestamp = data.Timestamp };
            foreach (var (name, value) in data.Metrics)
            {
                if (Matches(name))
                {
                    kept.Metrics[name] = value;
                }
            }

            if (kept.Metrics.Count > 0)
            {
                yield return kept;
            }
        }
    }
}
