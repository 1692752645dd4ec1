namespace Tessera.Cli;

/// <summary>A failure the user can fix that is not a gRPC status (an unreadable file, a bad address); printed without a stack trace.</summary>
internal sealed class CliException(string message, Exception? innerException = null) : Exception(message, innerException);
