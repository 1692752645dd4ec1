using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tessera.Cli.Bench;

/// <summary>One run's figures; <c>--json</c> prints it as one JSON object (snake_case keys).</summary>
internal sealed record BenchReport
{
    public required string Scenario { get; init; }

    public required string Address { get; init; }

    public int Connections { get; init; }

    public int Concurrency { get; init; }

    /// <summary>Seconds measured (warm-up excluded).</summary>
    public double Seconds { get; init; }

    /// <summary>Calls (or, for watch and chat, deliveries) that succeeded while measured.</summary>
    public long Requests { get; init; }

    public long Errors => ErrorsByCode.Values.Sum();

    /// <summary>Failed calls by gRPC status code name (and MISSED for watch events never delivered).</summary>
    public IReadOnlyDictionary<string, long> ErrorsByCode { get; init; } = new SortedDictionary<string, long>(StringComparer.Ordinal);

    public double RequestsPerSecond => Seconds > 0 ? Requests / Seconds : 0;

    /// <summary>Users (or messages) carried: one per unary call; the stream's users for bulk create and list.</summary>
    public long Items { get; init; }

    public double ItemsPerSecond => Seconds > 0 ? Items / Seconds : 0;

    public required LatencySummary LatencyMs { get; init; }

    /// <summary>Scenario-specific figures (hashes_per_second, watchers, changes, ...).</summary>
    public IReadOnlyDictionary<string, double> Extra { get; init; } = new SortedDictionary<string, double>(StringComparer.Ordinal);

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        WriteIndented = false,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);
}

/// <summary>Latency percentiles in milliseconds.</summary>
internal sealed record LatencySummary(double P50, double P90, double P99, double Max, double Mean)
{
    public static LatencySummary From(LatencyHistogram histogram) => new(
        Ms(histogram.Percentile(50)),
        Ms(histogram.Percentile(90)),
        Ms(histogram.Percentile(99)),
        Ms(histogram.Count == 0 ? 0 : histogram.Max),
        Math.Round(histogram.Mean / 1000, 3));

    private static double Ms(long micros) => Math.Round(micros / 1000.0, 3);
}
