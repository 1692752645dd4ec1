namespace Tessera.Cli.Import;

/// <summary>
/// How many rows the next BulkCreateUsers call of an import carries. Progress moves when a call returns its
/// summary, so calls are sized to take about <see cref="Target"/>: rows without passwords go in calls of
/// <see cref="Max"/>, rows whose passwords the server must hash (about a tenth of a second each) in a few dozen.
/// </summary>
internal sealed class ChunkSizer
{
    /// <summary>The first call's rows: small, so the first progress comes soon whatever the rows cost.</summary>
    public const int First = 50;

    public const int Min = 5;

    /// <summary>The server's commit batch (UserService.BulkBatchSize): a call is at most one transaction.</summary>
    public const int Max = 500;

    public static readonly TimeSpan Target = TimeSpan.FromSeconds(2);

    public int Next { get; private set; } = First;

    /// <summary>Learns from a call that took <paramref name="elapsed"/> for <paramref name="rows"/> rows; grows at most fourfold a call.</summary>
    public void Observe(int rows, TimeSpan elapsed)
    {
        var perSecond = rows / Math.Max(elapsed.TotalSeconds, 0.001);
        var fitting = (int)Math.Min(perSecond * Target.TotalSeconds, Max);
        Next = Math.Clamp(fitting, Min, Math.Min(Max, Next * 4));
    }
}
