namespace Tessera.Cli.Import;

/// <summary>The import file as a whole is unusable (no header, a required column missing); nothing is sent.</summary>
internal sealed class ImportFileException(string message) : Exception(message);
