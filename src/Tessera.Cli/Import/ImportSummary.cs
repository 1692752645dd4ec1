namespace Tessera.Cli.Import;

/// <summary>
/// How an import went, or has gone so far: rows that created a user, rows already imported before (their request
/// id replayed), rows skipped because their username or email exists (<c>--skip-existing</c>), and every row that
/// failed (in the file or on the server), in line order.
/// </summary>
internal sealed record ImportSummary(int Created, int Replayed, int Skipped, IReadOnlyList<ImportFailure> Failures)
{
    public static readonly ImportSummary Empty = new(0, 0, 0, []);

    public int Failed => Failures.Count;

    /// <summary>Rows whose user is stored: created now or by an earlier run.</summary>
    public int Stored => Created + Replayed;

    /// <summary>Rows the server has answered for, or that were never sent: the import's progress.</summary>
    public int Done => Stored + Skipped + Failed;
}

/// <summary>
/// One line that did not become a user. <see cref="Code"/> is a gRPC status name, or for a line never sent
/// <see cref="ParseError"/> or <see cref="DuplicateRow"/>.
/// </summary>
internal sealed record ImportFailure(int LineNumber, string Username, string Code, string Reason)
{
    public const string ParseError = "PARSE_ERROR";

    public const string DuplicateRow = "DUPLICATE_ROW";
}
