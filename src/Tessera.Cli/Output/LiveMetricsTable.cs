using System.Globalization;
using Spectre.Console;
using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Cli.Output;

/// <summary><c>monitor metrics</c> on a terminal: one table of every metric's latest value, redrawn in place each interval.</summary>
internal static class LiveMetricsTable
{
    public static async Task RunAsync(IAnsiConsole console, IAsyncEnumerable<MetricData> metrics, CancellationToken cancellationToken)
    {
        var latest = new SortedDictionary<(string Service, string Name), double>();
        var updated = "";
        await console.Live(Render(latest, updated)).AutoClear(false).StartAsync(async context =>
        {
            await foreach (var data in metrics.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                foreach (var (name, value) in data.Metrics)
                {
                    latest[(data.ServiceName, name)] = value;
                }

                updated = data.Timestamp?.ToDateTimeOffset().ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture) ?? "";
                context.UpdateTarget(Render(latest, updated));
            }
        }).ConfigureAwait(false);
    }

    /// <summary>One line a metric, for output that is not a terminal: time, service, name, value.</summary>
    public static string Line(MetricData data, string name, double value) =>
        string.Create(CultureInfo.InvariantCulture, $"{data.Timestamp?.ToDateTimeOffset():O}\t{data.ServiceName}\t{name}\t{Format(value)}");

    private static Table Render(SortedDictionary<(string Service, string Name), double> latest, string updated)
    {
        var table = new Table()
            .AddColumns("Service", "Metric", "Value")
            .Caption(updated.Length == 0 ? "waiting for the first interval; Ctrl+C to stop" : $"at {updated}; rates are per second; Ctrl+C to stop");
        table.Columns[2].RightAligned();
        foreach (var ((service, name), value) in latest)
        {
            table.AddRow(Markup.Escape(service), Markup.Escape(name), Format(value));
        }

        return table;
    }

    private static string Format(double value) =>
        value == Math.Floor(value) && Math.Abs(value) < 1e15 ? value.ToString("N0", CultureInfo.InvariantCulture) : value.ToString("N2", CultureInfo.InvariantCulture);
}
