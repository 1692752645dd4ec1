using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Tessera.Cli.Import;

namespace Tessera.Cli.Output;

/// <summary>The end of an import: <c>created N, failed M</c> and a table of the failed lines (or one JSON object).</summary>
internal static class ImportReport
{
    public static void Write(CliSession session, ImportSummary summary)
    {
        if (session.Printer.IsData)
        {
            session.Printer.Write(System.Text.Json.Nodes.JsonNode.Parse(Json(summary)));
            return;
        }

        session.Out.WriteLine($"created {summary.Created}, failed {summary.Failed}");
        if (summary.Failed > 0)
        {
            session.Console.Write(Failures(summary.Failures));
        }
    }

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

    public static string Json(ImportSummary summary) => JsonSerializer.Serialize(new
    {
        created = summary.Created,
        failed = summary.Failed,
        failures = summary.Failures.Select(f => new { line = f.LineNumber, username = f.Username, code = f.Code, reason = f.Reason }),
    });
}
