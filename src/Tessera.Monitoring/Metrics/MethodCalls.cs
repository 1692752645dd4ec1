namespace Tessera.Monitoring.Metrics;

/// <summary>The calls of one gRPC method since the server started: how many finished, and their latency buckets.</summary>
public sealed class MethodCalls
{
    private readonly long[] buckets = new long[LatencyBuckets.Count];
    private long finished;

    public long Finished => Interlocked.Read(ref finished);

    public void Record(double milliseconds)
    {
        Interlocked.Increment(ref buckets[LatencyBuckets.Of(milliseconds)]);
        Interlocked.Increment(ref finished);
    }

    /// <summary>Copies the bucket counts into <paramref name="into"/>.</summary>
    public void ReadBuckets(Span<long> into)
    {
        for (var i = 0; i < buckets.Length; i++)
        {
            into[i] = Interlocked.Read(ref buckets[i]);
        }
    }
}
