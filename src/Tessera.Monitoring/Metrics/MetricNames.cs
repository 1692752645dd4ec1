namespace Tessera.Monitoring.Metrics;

/// <summary>
/// The metric names StreamMetrics sends (documented on monitoring.v1.MetricData). Labels follow the name after a
/// "|", as <c>name|key=value</c>.
/// </summary>
public static class MetricNames
{
    /// <summary>Calls of a method finished since the server started (label <c>method</c>).</summary>
    public const string Requests = "grpc.requests";

    /// <summary>Calls of a method finished per second over the last interval (label <c>method</c>).</summary>
    public const string RequestRate = "grpc.requests.rate";

    /// <summary>Median latency of a method's calls that finished in the last interval, in ms (0 when none did).</summary>
    public const string LatencyP50 = "grpc.latency.p50_ms";

    /// <summary>99th percentile latency of a method's calls that finished in the last interval, in ms.</summary>
    public const string LatencyP99 = "grpc.latency.p99_ms";

    /// <summary>Calls in progress now, all methods (service "process").</summary>
    public const string InFlight = "grpc.in_flight";

    /// <summary>CPU the process used over the last interval, in percent of one core (200 = two busy cores).</summary>
    public const string CpuPercent = "process.cpu_percent";

    public const string WorkingSet = "process.working_set_bytes";

    /// <summary>Bytes of the managed heap after the last garbage collection.</summary>
    public const string GcHeap = "process.gc_heap_bytes";

    /// <summary>Bytes a service's store takes (label <c>file</c> on SQLite, <c>schema</c> on PostgreSQL).</summary>
    public const string StoreSize = "store.size_bytes";

    public static string Labelled(string name, string label) => name + "|" + label;

    public static string ForMethod(string name, string method) => name + "|method=" + method;

    /// <summary>The name without its labels.</summary>
    public static ReadOnlySpan<char> Base(string name)
    {
        var bar = name.IndexOf('|', StringComparison.Ordinal);
        return bar < 0 ? name : name.AsSpan(0, bar);
    }
}
