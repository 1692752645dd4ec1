namespace Tessera.Cli;

/// <summary>What <c>tessera</c> exits with.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A call failed, an import had failures, or a file could not be read.</summary>
    public const int Failed = 1;

    /// <summary>The command line was wrong (unknown option, missing required option, bad value).</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C (128 + SIGINT).</summary>
    public const int Interrupted = 130;
}
