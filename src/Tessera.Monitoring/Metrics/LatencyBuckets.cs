namespace Tessera.Monitoring.Metrics;

/// <summary>
/// Fixed exponential latency buckets (50 µs growing by 25% a bucket, past a minute in the last one). Counts only ever
/// grow, so the calls of any interval are the difference of two readings, and one set of counts serves every interval.
/// </summary>
public static class LatencyBuckets
{
    public const int Count = 64;
    private const double FirstBoundMs = 0.05;
    private const double Growth = 1.25;
    private static readonly double[] Bounds = [.. Enumerable.Range(0, Count).Select(i => FirstBoundMs * Math.Pow(Growth, i))];

    /// <summary>The bucket of a duration: the first whose upper bound is at least it (the last for anything longer).</summary>
    public static int Of(double milliseconds)
    {
        if (!(milliseconds > FirstBoundMs))
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log(milliseconds / FirstBoundMs) / Math.Log(Growth));
        return Math.Min(index, Count - 1);
    }

    public static double UpperBoundMs(int bucket) => Bounds[bucket];

    /// <summary>
    /// The <paramref name="quantile"/> (0-1) of the calls counted between two readings, as the upper bound of the bucket
    /// it falls in (at most 25% above the true value); 0 when no call finished in between.
    /// </summary>
    public static double Quantile(ReadOnlySpan<long> now, ReadOnlySpan<long> before, double quantile)
    {
        long total = 0;
        for (var i = 0; i < Count; i++)
        {
            total += now[i] - before[i];
        }

        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * total));
        long seen = 0;
        for (var i = 0; i < Count; i++)
        {
            seen += now[i] - before[i];
            if (seen >= rank)
            {
                return Bounds[i];
            }
        }

        return Bounds[Count - 1];
    }
}
