using System.Globalization;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Tessera.Cli.Import;

/// <summary>An import's progress on a terminal: a bar of the rows the server has answered for, rows per second and time left.</summary>
internal static class ImportProgressBar
{
    public static Task<ImportSummary> RunAsync(IAnsiConsole console, string name, int totalRows, Func<IProgress<ImportSummary>, Task<ImportSummary>> import) =>
        console.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RowRateColumn(), new RemainingTimeColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(Describe(name, ImportSummary.Empty), maxValue: Math.Max(totalRows, 1));
                return await import(new SyncProgress<ImportSummary>(summary =>
                {
                    task.Value = summary.Done;
                    task.Description = Describe(name, summary);
                })).ConfigureAwait(false);
            });

    private static string Describe(string name, ImportSummary summary) => Markup.Escape(string.Create(
        CultureInfo.InvariantCulture,
        $"{name}: {summary.Stored:N0} stored{(summary.Skipped > 0 ? $", {summary.Skipped:N0} skipped" : "")}{(summary.Failed > 0 ? $", {summary.Failed:N0} failed" : "")}"));

    /// <summary>Rows answered per second, as Spectre measures the task's speed.</summary>
    private sealed class RowRateColumn : ProgressColumn
    {
        public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime) =>
            new Text(task.Speed is { } speed ? string.Create(CultureInfo.InvariantCulture, $"{speed:N0} rows/s") : "- rows/s");
    }
}
