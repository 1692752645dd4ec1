namespace Tessera.Server.Operations;

/// <summary>
/// Gives memory back once a busy spell is over. The garbage collector collects only when code allocates, so a server
/// that goes quiet after a flood (10,000 streams opened and closed) keeps the heap the flood grew, hundreds of MB with
/// a few tens live, until its next busy spell. Every <see cref="Interval"/> this looks: when the process allocated less
/// than <see cref="QuietBytes"/> since the last look (it is idle, so a collection delays no caller) and the GC holds
/// more than <see cref="Growth"/> beyond what it held after the last trim, it runs one aggressive full collection,
/// which compacts the heap and decommits the free memory.
/// </summary>
public sealed class IdleMemoryTrim(ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>At most this much allocated in one interval counts as idle (a quiet server allocates a few KB for its timers and health checks).</summary>
    public const long QuietBytes = 4 << 20;

    /// <summary>How much the GC's memory must have grown since the last trim for another one.</summary>
    public const long Growth = 64 << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var allocated = GC.GetTotalAllocatedBytes();
        var kept = 0L;
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var quiet = now - allocated < QuietBytes;
                allocated = now;
                if (quiet && Held() > kept + Growth)
                {
                    kept = Trim();
                    allocated = GC.GetTotalAllocatedBytes();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    /// <summary>The GC's memory: what it committed at its last collection, or the heap grown since, whichever is more.</summary>
    private static long Held() => Math.Max(GC.GetGCMemoryInfo().TotalCommittedBytes, GC.GetTotalMemory(forceFullCollection: false));

    /// <summary>One aggressive collection; returns what the GC holds after it.</summary>
    private long Trim()
    {
        var before = Held();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var after = Held();
        logger.LogDebug("Idle after a busy spell: the GC gave back {Freed} MB ({Before} MB -> {After} MB)", (before - after) >> 20, before >> 20, after >> 20);
        return after;
    }
}
