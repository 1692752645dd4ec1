using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// Gives expired reservations' stock back: every second, up to <see cref="Batch"/> at a time (again at once while
/// there are more). Reads never wait for it (an expired reservation reads EXPIRED and refuses commit before it runs);
/// replicas may all run it, each reservation's stock returns once.
/// </summary>
public sealed partial class InventorySweeper(IInventoryStore store, TimeProvider clock, ILogger<InventorySweeper> logger) : BackgroundService
{
    public const int Batch = 200;

    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            do
            {
                try
                {
                    while (await store.SweepExpiredAsync(Batch, stoppingToken) == Batch)
                    {
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping expired reservations failed; the next sweep retries")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
