namespace Tessera.Cli.Bench;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (HdrHistogram's layout at two significant digits): values
/// below 128 µs are exact, larger ones fall in one of 64 buckets per power of two, so every reported percentile
/// is within 1.6% of the true value. Fixed size, no allocation per sample; one per worker, merged at the end.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBuckets = 64;
    private const int ExactBelow = 2 * SubBuckets;
    private const int Octaves = 40;

    private readonly long[] counts = new long[ExactBelow + (Octaves * SubBuckets)];
    private long sum;

    public long Count { get; private set; }

    public long Max { get; private set; }

    public long Min { get; private set; } = long.MaxValue;

    public double Mean => Count == 0 ? 0 : (double)sum / Count;

    public void Record(long micros)
    {
        micros = Math.Max(0, micros);
        counts[IndexOf(micros)]++;
        Count++;
        sum += micros;
        Max = Math.Max(Max, micros);
        Min = Math.Min(Min, micros);
    }

    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] += other.counts[i];
        }

        Count += other.Count;
        sum += other.sum;
        Max = Math.Max(Max, other.Max);
        Min = Math.Min(Min, other.Min);
    }

    /// <summary>
    /// The latency at or below which <paramref name="percentile"/> percent of the samples lie (nearest rank):
    /// the upper edge of the bucket that holds that rank, never above the largest sample. 0 when empty.
    /// </summary>
    public long Percentile(double percentile)
    {
        if (percentile is < 0 or > 100 || double.IsNaN(percentile))
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "a percentile is between 0 and 100");
        }

        if (Count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100 * Count));
        var seen = 0L;
        for (var i = 0; i < counts.Length; i++)
        {
            seen += counts[i];
            if (seen >= rank)
            {
                return Math.Clamp(UpperEdge(i), Min, Max);
            }
        }

        return Max;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < ExactBelow)
        {
            return (int)micros;
        }

        // micros >= 128: shift it down until it is in [64, 128); the shift names the octave.
        var shift = 63 - (int)long.LeadingZeroCount(micros) - 6;
        if (shift > Octaves)
        {
            return ExactBelow + (Octaves * SubBuckets) - 1;
        }

        var sub = (int)(micros >> shift) - SubBuckets;
        return ExactBelow + ((shift - 1) * SubBuckets) + sub;
    }

    internal static long UpperEdge(int index)
    {
        if (index < ExactBelow)
        {
            return index;
        }

        var octave = ((index - ExactBelow) / SubBuckets) + 1;
        var sub = (index - ExactBelow) % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << octave) - 1;
    }
}
