using Tessera.Cli.Import;

namespace Tessera.Fuzz.Targets;

/// <summary>Reads an import file as <c>tessera users import</c> does, and checks what every line must hold.</summary>
internal static class ImportFiles
{
    public static void ReadAll(byte[] file, ImportFormat format)
    {
        using var reader = new StreamReader(new MemoryStream(file));
        foreach (var line in ImportFormats.Read(reader, format))
        {
            if ((line.Request is null) == (line.Error is null))
            {
                throw new InvalidOperationException($"line {line.LineNumber} has {(line.Error is null ? "neither a request nor an error" : "both a request and an error")}");
            }
        }
    }
}
