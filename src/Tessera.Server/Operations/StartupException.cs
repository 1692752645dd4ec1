namespace Tessera.Server.Operations;

/// <summary>
/// The machine does not let the server start (the address is taken, the data directory is unusable or in use):
/// the server says why in one line and exits with status 1. A setting that cannot work is an OptionsException (2).
/// </summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);
