using System.Globalization;

namespace Tessera.Server.Observability;

/// <summary>
/// Refused calls (UNAUTHENTICATED, PERMISSION_DENIED, RESOURCE_EXHAUSTED) get no log line each, so a flood cannot
/// flood the log: they are counted per caller and written as one summary line per caller every
/// <see cref="Interval"/> (and once more when the server stops), e.g.
/// <c>refused 19,650 calls from address 127.0.0.1 in the last 10 s (RESOURCE_EXHAUSTED 19,000, UNAUTHENTICATED 650)</c>.
/// </summary>
public sealed partial class RefusalLog(ILogger<RefusalLog> logger, TimeProvider clock) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>Callers named one by one per interval, the most refused first; the rest share one line.</summary>
    public const int MaxCallersNamed = 50;

    private readonly Lock gate = new();
    private Dictionary<string, Dictionary<string, long>> counts = [];
    private long since = clock.GetTimestamp();

    /// <summary>Whether a call that ended with this status is a refusal, summarised here rather than logged on its own.</summary>
    public static bool IsRefusal(string status) => status is "UNAUTHENTICATED" or "PERMISSION_DENIED" or "RESOURCE_EXHAUSTED";

    public void Record(string caller, string status)
    {
        lock (gate)
        {
            if (!counts.TryGetValue(caller, out var byStatus))
            {
                counts[caller] = byStatus = [];
            }

            byStatus[status] = byStatus.GetValueOrDefault(status) + 1;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                Flush();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        Flush();
    }

    /// <summary>Writes one line per caller refused since the last flush.</summary>
    public void Flush()
    {
        Dictionary<string, Dictionary<string, long>> refused;
        TimeSpan elapsed;
        lock (gate)
        {
            (refused, counts) = (counts, []);
            var now = clock.GetTimestamp();
            elapsed = clock.GetElapsedTime(since, now);
            since = now;
        }

        var seconds = Math.Max(1, Math.Round(elapsed.TotalSeconds));
        var callers = refused.Select(pair => (Caller: pair.Key, ByStatus: pair.Value, Count: pair.Value.Values.Sum())).OrderByDescending(caller => caller.Count).ToList();
        foreach (var (caller, byStatus, count) in callers.Take(MaxCallersNamed))
        {
            Refused(logger, count, caller, seconds, Describe(byStatus));
        }

        if (callers.Count > MaxCallersNamed)
        {
            var others = callers.Skip(MaxCallersNamed).ToList();
            var byStatus = others.SelectMany(caller => caller.ByStatus).GroupBy(pair => pair.Key).ToDictionary(group => group.Key, group => group.Sum(pair => pair.Value));
            Refused(logger, others.Sum(caller => caller.Count), $"{others.Count:N0} other callers", seconds, Describe(byStatus));
        }
    }

    private static string Describe(Dictionary<string, long> byStatus) =>
        string.Join(", ", byStatus.OrderByDescending(pair => pair.Value).Select(pair => string.Create(CultureInfo.InvariantCulture, $"{pair.Key} {pair.Value:N0}")));

    [LoggerMessage(EventId = 2, EventName = "GrpcCallsRefused", Level = LogLevel.Information,
        Message = "refused {Count:N0} calls from {Caller} in the last {Seconds:0} s ({ByStatus})")]
    private static partial void Refused(ILogger logger, long count, string caller, double seconds, string byStatus);
}
