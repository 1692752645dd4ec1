using Tessera.Cli.Import;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// <c>tessera users import</c> of a CSV file: the input is the file, read as the command reads it (a UTF-8 stream
/// reader) to the end. Expected: <see cref="ImportFileException"/> (no usable header); a bad row is a line's error.
/// </summary>
internal sealed class CsvImportTarget : IFuzzTarget
{
    public string Name => "csv";

    public void Run(byte[] input) => ImportFiles.ReadAll(input, ImportFormat.Csv);

    public bool IsExpected(Exception exception) => exception is ImportFileException;
}
