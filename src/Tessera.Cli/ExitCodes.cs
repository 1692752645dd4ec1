using Grpc.Core;

namespace Tessera.Cli;

/// <summary>What <c>tessera</c> exits with (the table is in README, "Exit codes").</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A failure that is not a call's status: an import with failed rows, an unreadable file, a refused confirmation.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown option, missing required option, bad value).</summary>
    public const int Usage = 2;

    /// <summary>A failed call exits with this plus its gRPC status code: NOT_FOUND (5) is 15, UNAUTHENTICATED (16) is 26.</summary>
    public const int CallFailedBase = 10;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;

    /// <summary>The exit code for a call that failed with <paramref name="code"/>.</summary>
    public static int For(StatusCode code) => CallFailedBase + (int)code;
}
