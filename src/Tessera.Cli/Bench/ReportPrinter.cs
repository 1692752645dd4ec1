using System.Globalization;

namespace Tessera.Cli.Bench;

/// <summary>Prints a <see cref="BenchReport"/> for people (or as JSON); a run with errors says so on standard error.</summary>
internal static class ReportPrinter
{
    public static async Task WriteAsync(BenchReport report, bool json, TextWriter output, TextWriter error)
    {
        if (json)
        {
            await output.WriteLineAsync(report.ToJson()).ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync(Text(report)).ConfigureAwait(false);
        }

        if (report.Errors > 0)
        {
            var codes = string.Join(", ", report.ErrorsByCode.Select(pair => $"{pair.Key} {N(pair.Value)}"));
            await error.WriteLineAsync(
                $"!!! ERRORS: {N(report.Errors)} failed ({codes}) beside {N(report.Requests)} ok; these figures are not a clean run !!!").ConfigureAwait(false);
        }
    }

    public static string Text(BenchReport report)
    {
        var lines = new List<string>
        {
            $"{report.Scenario} against {report.Address}: {report.Connections} connection(s), {report.Concurrency} concurrent, {F(report.Seconds)} s measured",
            $"  requests  {N(report.Requests)} ok, {F(report.RequestsPerSecond)}/s",
        };
        if (report.Items != report.Requests)
        {
            lines.Add($"  items     {N(report.Items)}, {F(report.ItemsPerSecond)}/s");
        }

        var latency = report.LatencyMs;
        lines.Add($"  latency   p50 {F(latency.P50)} ms  p90 {F(latency.P90)} ms  p99 {F(latency.P99)} ms  max {F(latency.Max)} ms  mean {F(latency.Mean)} ms");
        lines.Add(report.Errors == 0 ? "  errors    none" : $"  errors    {N(report.Errors)}: " + string.Join(", ", report.ErrorsByCode.Select(pair => $"{pair.Key} {N(pair.Value)}")));
        lines.AddRange(report.Extra.Select(pair => $"  {pair.Key,-9} {F(pair.Value)}"));
        return string.Join(Environment.NewLine, lines);
    }

    private static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("#,0.###", CultureInfo.InvariantCulture);
}
