namespace Tessera.Cli.Config;

/// <summary>The config file: named contexts and the one used when no <c>--context</c> or TESSERA_CONTEXT is given.</summary>
internal sealed record CliConfig
{
    public const string DefaultContext = "default";

    public string CurrentContext { get; init; } = DefaultContext;

    public Dictionary<string, SavedSession> Contexts { get; init; } = new(StringComparer.Ordinal);
}
