using Tessera.Users.Storage;

namespace Tessera.Server.Operations;

/// <summary>
/// A disk fault of a store (full, read-only, an I/O error: <see cref="StoreFailures.IsDiskFault"/>), from the first
/// call it failed until the health check's write probe succeeds again (<see cref="StoreHealthCheck"/>). While it
/// lasts the user services report NOT_SERVING, and the failed calls are counted rather than logged one by one: the
/// first is logged with its exception, the recovery with how many failed in between (a full disk under load would
/// otherwise write a stack trace per call, to a log that may live on that same disk).
/// </summary>
public sealed partial class StoreFaults(ILogger<StoreFaults> logger)
{
    private readonly Lock gate = new();
    private Exception? fault;
    private long failedCalls;
    private long since;

    /// <summary>The fault that has not yet cleared, or null.</summary>
    public Exception? Current
    {
        get
        {
            lock (gate)
            {
                return fault;
            }
        }
    }

    /// <summary>A call failed on <paramref name="exception"/>, a disk fault: the first of a spell is logged.</summary>
    public void Report(Exception exception, string method)
    {
        lock (gate)
        {
            failedCalls++;
            if (fault is not null)
            {
                return;
            }

            fault = exception;
            since = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        Faulted(logger, exception, method, Describe(exception));
    }

    /// <summary>The store wrote again: the fault, if any, is over.</summary>
    public void Cleared()
    {
        long failed;
        TimeSpan lasted;
        lock (gate)
        {
            if (fault is null)
            {
                return;
            }

            (fault, failed, failedCalls) = (null, failedCalls, 0);
            lasted = System.Diagnostics.Stopwatch.GetElapsedTime(since);
        }

        Recovered(logger, Math.Round(lasted.TotalSeconds, 1), failed);
    }

    /// <summary>What the fault is, in words, for the health status and the log.</summary>
    public static string Describe(Exception exception) =>
        StoreFailures.IsDiskFull(exception) ? "its disk is full" : $"its disk failed ({exception.Message})";

    [LoggerMessage(Level = LogLevel.Error,
        Message = "The store cannot write: {Fault} (first seen in {Method}). Calls are refused and health reports NOT_SERVING until a write succeeds; until then failed calls are counted, not logged")]
    private static partial void Faulted(ILogger logger, Exception exception, string method, string fault);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The store writes again after {Seconds} s; {Failed} calls failed meanwhile")]
    private static partial void Recovered(ILogger logger, double seconds, long failed);
}
