using Tessera.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>
/// Sends the good lines of an import file through one BulkCreateUsers stream and keeps the bad ones
/// back; the server's failures (by position in the stream) are mapped back to file line numbers.
/// </summary>
internal sealed class UserImporter(TesseraClient client)
{
    /// <param name="lines">The file's lines, read lazily as they are sent.</param>
    /// <param name="progress">Hears the number of users sent so far.</param>
    public async Task<ImportSummary> ImportAsync(IEnumerable<ImportLine> lines, IProgress<int>? progress, DateTime? deadline, CancellationToken cancellationToken)
    {
        var failures = new List<ImportFailure>();
        var sent = new List<ImportLine>();

        IEnumerable<CreateUserRequest> GoodLines()
        {
            foreach (var line in lines)
            {
                if (line.Request is null)
                {
                    failures.Add(new ImportFailure(line.LineNumber, line.Username, ImportFailure.ParseError, line.Error ?? "cannot be read"));
                    continue;
                }

                sent.Add(line);
                yield return line.Request;
            }
        }

        var response = await client.BulkCreateUsersAsync(GoodLines(), progress, deadline, cancellationToken).ConfigureAwait(false);
        foreach (var failure in response.Failures)
        {
            var line = failure.Index >= 0 && failure.Index < sent.Count ? sent[failure.Index] : null;
            var namesField = string.IsNullOrEmpty(failure.Field) || failure.Reason.StartsWith(failure.Field + ":", StringComparison.Ordinal);
            var reason = namesField ? failure.Reason : $"{failure.Reason} (field {failure.Field})";
            failures.Add(new ImportFailure(line?.LineNumber ?? 0, line?.Username ?? "", failure.Code, reason));
        }

        return new ImportSummary(response.CreatedCount, [.. failures.OrderBy(f => f.LineNumber)]);
    }
}
