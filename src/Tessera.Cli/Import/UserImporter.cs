using System.Diagnostics;
using Tessera.Client;
using Tessera.Contracts;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>
/// Sends the good lines of an import file in BulkCreateUsers calls of bounded size (<see cref="ChunkSizer"/>), each
/// row with the request id <see cref="ImportRequestIds"/> derives from it, so running the same import again after a
/// failure replays what is stored and creates the rest. Progress is what the server has confirmed: it advances when a
/// call returns its summary, never when rows are merely sent. Bad lines are kept back; the server's failures (by
/// position in their call) are mapped back to file line numbers.
/// </summary>
internal sealed class UserImporter(TesseraClient client, bool skipExisting)
{
    /// <param name="lines">The file's lines, read lazily as they are sent.</param>
    /// <param name="progress">Hears the summary so far after every call.</param>
    /// <param name="deadline">For the whole import (every call), or null.</param>
    /// <exception cref="ImportStoppedException">A call failed, Ctrl+C was pressed, or the file could not be read further.</exception>
    public async Task<ImportSummary> ImportAsync(IEnumerable<ImportLine> lines, IProgress<ImportSummary>? progress, DateTime? deadline, CancellationToken cancellationToken)
    {
        var tally = new Tally();
        var firstLineOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var chunk = new List<ImportLine>(ChunkSizer.Max);
        var sizer = new ChunkSizer();
        try
        {
            foreach (var line in lines)
            {
                if (line.Request is null)
                {
                    tally.Fail(line, ImportFailure.ParseError, line.Error ?? "cannot be read");
                    continue;
                }

                if (line.Request.RequestId.Length == 0)
                {
                    line.Request.RequestId = ImportRequestIds.For(line.Request);
                    if (!firstLineOf.TryAdd(line.Request.RequestId, line.LineNumber))
                    {
                        tally.Fail(line, ImportFailure.DuplicateRow, $"the same user as line {firstLineOf[line.Request.RequestId]}");
                        continue;
                    }
                }

                chunk.Add(line);
                if (chunk.Count >= sizer.Next)
                {
                    await SendAsync(chunk, tally, sizer, deadline, cancellationToken).ConfigureAwait(false);
                    progress?.Report(tally.Summary());
                }
            }

            if (chunk.Count > 0)
            {
                await SendAsync(chunk, tally, sizer, deadline, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is TesseraException or OperationCanceledException or IOException)
        {
            throw new ImportStoppedException(tally.Summary(), e);
        }

        var summary = tally.Summary();
        progress?.Report(summary);
        return summary;
    }

    /// <summary>Sends one chunk as one call and counts its summary in.</summary>
    private async Task SendAsync(List<ImportLine> chunk, Tally tally, ChunkSizer sizer, DateTime? deadline, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var response = await client.BulkCreateUsersAsync(chunk.Select(line => line.Request!), null, deadline, cancellationToken).ConfigureAwait(false);
        sizer.Observe(chunk.Count, Stopwatch.GetElapsedTime(started));
        tally.Count(response, chunk, skipExisting);
        chunk.Clear();
    }

    /// <summary>The running counts of one import.</summary>
    private sealed class Tally
    {
        private readonly List<ImportFailure> failures = [];
        private int created;
        private int replayed;
        private int skipped;

        public void Fail(ImportLine line, string code, string reason) => failures.Add(new ImportFailure(line.LineNumber, line.Username, code, reason));

        /// <remarks>A call carries at most <see cref="ChunkSizer.Max"/> rows, fewer than a summary lists failures, so every failure is listed.</remarks>
        public void Count(BulkCreateResponse response, List<ImportLine> sent, bool skipExisting)
        {
            created += response.CreatedCount;
            replayed += response.ReplayedCount;
            foreach (var failure in response.Failures)
            {
                var line = failure.Index >= 0 && failure.Index < sent.Count ? sent[failure.Index] : null;
                if (skipExisting && failure.Code == Grpc.Core.StatusCode.AlreadyExists.Name())
                {
                    skipped++;
                    continue;
                }

                var namesField = string.IsNullOrEmpty(failure.Field) || failure.Reason.StartsWith(failure.Field + ":", StringComparison.Ordinal);
                var reason = namesField ? failure.Reason : $"{failure.Reason} (field {failure.Field})";
                failures.Add(new ImportFailure(line?.LineNumber ?? 0, line?.Username ?? "", failure.Code, reason));
            }

        }

        public ImportSummary Summary() => new(created, replayed, skipped, [.. failures.OrderBy(f => f.LineNumber)]);
    }
}
