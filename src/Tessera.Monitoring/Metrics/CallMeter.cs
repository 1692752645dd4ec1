using System.Collections.Concurrent;

namespace Tessera.Monitoring.Metrics;

/// <summary>
/// This server's calls, for monitoring.v1's metrics: in flight now, and per method how many finished and how long they
/// took. The host feeds it from the step that already counts every call (Tessera.Server's GrpcMetricsMiddleware), so a
/// call is counted once: listening to ASP.NET Core's own instruments instead made every call, to any service, build and
/// send their tags. Each server has its own meter, so several servers in one process each count their own calls.
/// </summary>
public sealed class CallMeter
{
    private readonly ConcurrentDictionary<string, MethodCalls> methods = new(StringComparer.Ordinal);
    private long inFlight;

    /// <summary>A call began.</summary>
    public void Started() => Interlocked.Increment(ref inFlight);

    /// <summary>A call of <paramref name="method"/> (its path, <c>/package.Service/Method</c>; null when no service has it) ended.</summary>
    public void Ended(string? method, double milliseconds)
    {
        Interlocked.Decrement(ref inFlight);
        if (method is not null)
        {
            Record(method, milliseconds);
        }
    }

    /// <summary>Calls in progress now.</summary>
    public long InFlight => Interlocked.Read(ref inFlight);

    /// <summary>The methods called so far and their counts; a method appears once its first call has finished.</summary>
    public IEnumerable<KeyValuePair<string, MethodCalls>> Methods => methods;

    /// <summary>Counts one finished call of <paramref name="method"/>.</summary>
    public void Record(string method, double milliseconds) =>
        methods.GetOrAdd(method, static _ => new MethodCalls()).Record(milliseconds);
}
