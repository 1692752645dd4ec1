namespace Tessera.Server;

/// <summary>A setting that cannot work; the server refuses to start and says why.</summary>
public sealed class OptionsException(string message) : Exception(message);
