using Tessera.Cli.Import;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// <c>tessera users import</c> of a JSON Lines file, read to the end. Nothing is expected to throw: a line that is
/// not a user object is that line's error.
/// </summary>
internal sealed class JsonLinesImportTarget : IFuzzTarget
{
    public string Name => "jsonl";

    public void Run(byte[] input) => ImportFiles.ReadAll(input, ImportFormat.Jsonl);

    public bool IsExpected(Exception exception) => false;
}
