namespace Tessera.Cli.Import;

/// <summary>How an import went: users created, and every line that failed (in the file or on the server), in line order.</summary>
internal sealed record ImportSummary(int Created, IReadOnlyList<ImportFailure> Failures)
{
    public int Failed => Failures.Count;
}

/// <summary>One line that did not become a user. <see cref="Code"/> is a gRPC status name, or PARSE_ERROR for a line never sent.</summary>
internal sealed record ImportFailure(int LineNumber, string Username, string Code, string Reason)
{
    public const string ParseError = "PARSE_ERROR";
}
