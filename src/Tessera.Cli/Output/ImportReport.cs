using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tessera.Cli.Import;

namespace Tessera.Cli.Output;

/// <summary>
/// The end of an import: <c>created N, already imported N, skipped N, failed N</c> and a table of the failed lines
/// (or one JSON object); for an import that stopped early, also what was stored and that running it again resumes.
/// </summary>
internal static class ImportReport
{
    public static void Write(CliSession session, ImportSummary summary, bool complete = true)
    {
        if (session.Printer.IsData)
        {
            session.Printer.Write(System.Text.Json.Nodes.JsonNode.Parse(Json(summary, complete)));
            return;
        }

        session.Out.WriteLine(Counts(summary));
        if (summary.Failed > 0)
        {
            session.Console.Write(Failures(summary.Failures));
        }
    }

    /// <summary>For an import that stopped early (Ctrl+C, a failed call): what is stored, and how to finish.</summary>
    public static string Stopped(string fileName, ImportSummary soFar) =>
        string.Create(CultureInfo.InvariantCulture, $"import of {fileName} stopped: {soFar.Stored:N0} rows are stored ({Counts(soFar)}); rows of the call in flight may be stored too. ")
        + "Run the same import again to finish: rows already stored are reported as already imported, none is created twice.";

    public static string Counts(ImportSummary summary) => string.Create(
        CultureInfo.InvariantCulture,
        $"created {summary.Created}, already imported {summary.Replayed}, skipped {summary.Skipped}, failed {summary.Failed}");

    public static Table Failures(IEnumerable<ImportFailure> failures)
    {
        var table = new Table().AddColumns("Line", "Username", "Code", "Reason");
        foreach (var failure in failures)
        {
            table.AddRow(
                new Text(failure.LineNumber.ToString(CultureInfo.InvariantCulture)),
                new Text(failure.Username),
                new Text(failure.Code),
                new Text(failure.Reason));
        }

        return table;
    }

    public static string Json(ImportSummary summary, bool complete = true) => JsonSerializer.Serialize(new
    {
        complete,
        created = summary.Created,
        replayed = summary.Replayed,
        skipped = summary.Skipped,
        failed = summary.Failed,
        failures = summary.Failures.Select(f => new { line = f.LineNumber, username = f.Username, code = f.Code, reason = f.Reason }),
    });
}
