namespace Tessera.Cli.Import;

/// <summary>
/// An import stopped before the end of its file (Ctrl+C, a failed call, an unreadable file): what the server had
/// confirmed by then, and why it stopped.
/// </summary>
internal sealed class ImportStoppedException(ImportSummary soFar, Exception cause)
    : Exception($"the import stopped after {soFar.Stored} rows were stored: {cause.Message}", cause)
{
    public ImportSummary SoFar { get; } = soFar;
}
