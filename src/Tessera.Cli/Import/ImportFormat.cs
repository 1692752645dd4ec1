namespace Tessera.Cli.Import;

/// <summary>The import file formats. The file's extension picks one unless <c>--format</c> does.</summary>
internal enum ImportFormat
{
    Csv,
    Jsonl,
}

internal static class ImportFormats
{
    /// <summary>The format named by the file's extension: .csv, or .jsonl / .ndjson.</summary>
    /// <exception cref="CliException">The extension names neither.</exception>
    public static ImportFormat FromPath(string path) =>
        Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".csv" => ImportFormat.Csv,
            ".jsonl" or ".ndjson" => ImportFormat.Jsonl,
            var other => throw new CliException(
                $"cannot tell the format of '{path}' from its extension '{other}'; use .csv, .jsonl or .ndjson, or pass --format csv|jsonl"),
        };

    /// <summary>The users of a file in the given format, read lazily.</summary>
    public static IEnumerable<ImportLine> Read(TextReader reader, ImportFormat format) => format switch
    {
        ImportFormat.Csv => UserCsvReader.Read(reader),
        _ => UserJsonLinesReader.Read(reader),
    };
}
