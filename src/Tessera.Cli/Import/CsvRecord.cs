namespace Tessera.Cli.Import;

/// <summary>One CSV record: the line it starts on, its fields, or why it could not be read.</summary>
internal sealed record CsvRecord(int LineNumber, IReadOnlyList<string> Fields, string? Error = null);
