using System.Diagnostics;
using System.Globalization;

namespace Tessera.Cli.Import;

/// <summary>
/// An import's progress where there is no terminal to draw a bar on: one line on standard error as soon as the
/// first call is answered, then one every <see cref="Interval"/> (checked every second, even while a slow call runs, so
/// a long import is never silent), each with the rows the server has answered for, how many are stored, the rate and the time left.
/// </summary>
internal sealed class PlainImportProgress : IProgress<ImportSummary>, IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly Lock gate = new();
    private readonly TextWriter output;
    private readonly string name;
    private readonly int totalRows;
    private readonly Stopwatch elapsed = Stopwatch.StartNew();
    private readonly CancellationTokenSource stop = new();
    private readonly Task ticking;
    private ImportSummary? latest;
    private TimeSpan lastLine = TimeSpan.MinValue;

    public PlainImportProgress(TextWriter output, string name, int totalRows)
    {
        this.output = output;
        this.name = name;
        this.totalRows = totalRows;
        ticking = TickAsync(stop.Token);
    }

    public void Report(ImportSummary value)
    {
        lock (gate)
        {
            var first = latest is null;
            latest = value;
            if (first || elapsed.Elapsed - lastLine >= Interval)
            {
                WriteLine();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync().ConfigureAwait(false);
        await ticking.ConfigureAwait(false);
        stop.Dispose();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1));
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                lock (gate)
                {
                    if (elapsed.Elapsed - lastLine >= Interval)
                    {
                        WriteLine();
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The import ended.
        }
    }

    private void WriteLine()
    {
        lastLine = elapsed.Elapsed;
        output.WriteLine(Line(name, latest ?? ImportSummary.Empty, totalRows, lastLine));
    }

    internal static string Line(string name, ImportSummary summary, int totalRows, TimeSpan elapsed)
    {
        var line = string.Create(
            CultureInfo.InvariantCulture,
            $"{name}: {summary.Done:N0} of {totalRows:N0} rows done ({summary.Stored:N0} stored, {summary.Skipped:N0} skipped, {summary.Failed:N0} failed) after {Duration(elapsed)}");
        if (summary.Done == 0 || elapsed <= TimeSpan.Zero)
        {
            return line;
        }

        var perSecond = summary.Done / elapsed.TotalSeconds;
        var left = TimeSpan.FromSeconds(Math.Max(0, totalRows - summary.Done) / perSecond);
        return string.Create(CultureInfo.InvariantCulture, $"{line}, {perSecond:N0} rows/s, about {Duration(left)} left");
    }

    private static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m"
        : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s"
        : $"{Math.Max(0, (int)Math.Round(span.TotalSeconds))}s";
}
