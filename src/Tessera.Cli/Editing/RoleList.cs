namespace Tessera.Cli.Editing;

/// <summary>Roles as given on the command line: comma-separated, the option repeatable (<c>--roles a,b --roles c</c>).</summary>
internal static class RoleList
{
    /// <summary>The roles named, in order, without blanks or repeats; null when the option was not given.</summary>
    public static IReadOnlyList<string>? Parse(string[]? values) =>
        values is null
            ? null
            : values.SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).Distinct(StringComparer.Ordinal).ToList();
}
