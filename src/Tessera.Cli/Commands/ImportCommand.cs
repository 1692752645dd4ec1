using System.CommandLine;
using System.Runtime.ExceptionServices;
using Tessera.Cli.Import;
using Tessera.Cli.Output;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera users import FILE</c>: creates the file's users through BulkCreateUsers, in calls of bounded size, each
/// row with a request id derived from it, so running it again after a failure or Ctrl+C finishes the import and
/// creates nobody twice. Progress counts the rows the server has confirmed.
/// </summary>
internal static class ImportCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var file = new Argument<FileInfo>("file") { Description = "CSV (header: username,email,full_name,password,roles) or JSON Lines (.jsonl, .ndjson)" };
        var format = new Option<ImportFormat?>("--format") { Description = "csv or jsonl (default: from the file's extension)", HelpName = "csv|jsonl" };
        var skipExisting = new Option<bool>("--skip-existing") { Description = "Count rows whose username or email already exists as skipped, not failed" };
        var command = new Command(
            "import",
            "Create many users from a file; safe to run again after a failure (rows already stored are not created twice); exits 1 if any row failed")
        {
            file, format, skipExisting,
        };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var path = parse.GetRequiredValue(file);
            var fileFormat = parse.GetValue(format) ?? ImportFormats.FromPath(path.Name);
            var importer = new UserImporter(session.Client, parse.GetValue(skipExisting));
            var summary = await ImportAsync(session, importer, path, fileFormat, cancellationToken).ConfigureAwait(false);
            ImportReport.Write(session, summary);
            return summary.Failed == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static async Task<ImportSummary> ImportAsync(CliSession session, UserImporter importer, FileInfo file, ImportFormat format, CancellationToken cancellationToken)
    {
        try
        {
            var totalRows = CountRows(file, format);
            using var reader = file.OpenText();
            var lines = ImportFormats.Read(reader, format);
            try
            {
                if (session.OutIsTerminal && session.Format == OutputFormat.Table)
                {
                    return await ImportProgressBar.RunAsync(
                        session.Console,
                        file.Name,
                        totalRows,
                        progress => importer.ImportAsync(lines, progress, session.StreamDeadline, cancellationToken)).ConfigureAwait(false);
                }

                await using var progress = new PlainImportProgress(session.Error, file.Name, totalRows);
                return await importer.ImportAsync(lines, progress, session.StreamDeadline, cancellationToken).ConfigureAwait(false);
            }
            catch (ImportStoppedException stopped)
            {
                // Say what is stored and how to finish, then fail as the cause does (Ctrl+C, the call's status, the file).
                ImportReport.Write(session, stopped.SoFar, complete: false);
                await session.Error.WriteLineAsync(ImportReport.Stopped(file.Name, stopped.SoFar)).ConfigureAwait(false);
                ExceptionDispatchInfo.Throw(stopped.InnerException!);
                throw;
            }
        }
        catch (ImportFileException e)
        {
            throw new CliException($"{file.Name}: {e.Message}", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {file.FullName}: {e.Message}", e);
        }
    }

    /// <summary>The file's rows (good and bad): what the progress counts up to.</summary>
    private static int CountRows(FileInfo file, ImportFormat format)
    {
        using var reader = file.OpenText();
        return ImportFormats.Read(reader, format).Count();
    }
}
