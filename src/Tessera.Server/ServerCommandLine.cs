using System.Reflection;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Tessera.Server;

/// <summary>
/// The server's command line before the host reads it: <c>--help</c> (or <c>-h</c>) asks for the list of flags, and a
/// flag that is not a setting (<c>--rate-limt 5</c>) is refused with the nearest one, where ASP.NET Core's own reader
/// would ignore it and start with the default. Flags are <see cref="TesseraSettings"/>' keys; configuration paths
/// (<c>--Logging:LogLevel:Default Debug</c>) and the host's own keys pass as they are.
/// </summary>
public static class ServerCommandLine
{
    /// <summary>Keys the ASP.NET Core host reads from the command line itself.</summary>
    private static readonly string[] HostKeys = ["environment", "contentRoot", "applicationName", "webroot"];

    /// <summary>Defaults the options work out when a setting is left unset.</summary>
    private static readonly Dictionary<string, string> ComputedDefaults = new(StringComparer.Ordinal)
    {
        ["urls"] = $"{TesseraHost.DefaultUrls} ({TesseraHost.DefaultTlsUrls} with TLS)",
        ["web-urls"] = $"{TesseraHost.DefaultWebUrls} ({TesseraHost.DefaultTlsWebUrls} with TLS)",
        ["data-dir"] = "./data (or TESSERA_DATA_DIR)",
        ["connection"] = "(none; or TESSERA_CONNECTION)",
        ["jwt-key"] = "generated into the data directory (or TESSERA_JWT_KEY)",
    };

    /// <summary>TesseraSettings' properties with the key each is read under, in declaration order.</summary>
    private static readonly (string Name, PropertyInfo Property)[] Settings = typeof(TesseraSettings).GetProperties()
        .Select(property => (Name: property.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name, Property: property))
        .Where(setting => setting.Name is not null).Select(setting => (setting.Name!, setting.Property)).ToArray();

    /// <summary>Every flag, as <c>--name</c>, in TesseraSettings' order.</summary>
    public static IReadOnlyList<string> Flags { get; } = Settings.Select(setting => "--" + setting.Name).ToList();

    public static bool WantsHelp(IReadOnlyList<string> args) => args.Any(arg => arg is "--help" or "-h" or "-?");

    /// <summary>One line per flag with its default, then where to read what each means.</summary>
    public static string Help()
    {
        var defaults = new TesseraSettings();
        var text = new StringBuilder("usage: tessera-server [--flag value]...\n\nflags (default):\n");
        foreach (var (name, property) in Settings)
        {
            var value = ComputedDefaults.GetValueOrDefault(name) ?? property.GetValue(defaults)?.ToString()?.ToLowerInvariant() ?? "(none)";
            text.Append($"  --{name,-22} {value}\n");
        }

        text.Append("\nEach flag is also a configuration key (appsettings.json). What each means, and the exit statuses: README.md, \"Configuration\".\n");
        return text.ToString();
    }

    /// <summary>Throws <see cref="OptionsException"/> (exit status 2) for an argument that is not a flag Tessera or the host reads.</summary>
    public static void Check(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal) || arg.Length == 2)
            {
                throw new OptionsException($"'{arg}' is not a flag: flags are --name value (tessera-server --help lists them)");
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var key = equals < 0 ? arg[2..] : arg[2..equals];
            if (equals < 0)
            {
                i++;
            }

            if (!IsKnown(key))
            {
                var hint = Nearest(key.ToLowerInvariant()) is { } nearest ? $"did you mean {nearest}? " : "";
                throw new OptionsException($"--{key} is not a flag ({hint}tessera-server --help lists them)");
            }
        }
    }

    private static bool IsKnown(string key) =>
        key.Contains(':', StringComparison.Ordinal)
        || Settings.Any(setting => string.Equals(setting.Name, key, StringComparison.OrdinalIgnoreCase))
        || HostKeys.Any(host => string.Equals(host, key, StringComparison.OrdinalIgnoreCase));

    /// <summary>The flag a mistyped name most likely meant: one it begins with or that begins with it, else one within three edits.</summary>
    private static string? Nearest(string key)
    {
        var names = Settings.Select(setting => setting.Name).ToList();
        var prefixed = names.Where(name => key.StartsWith(name, StringComparison.Ordinal) || name.StartsWith(key, StringComparison.Ordinal)).MaxBy(name => name.Length);
        var closest = names.MinBy(name => Distance(name, key))!;
        var nearest = prefixed ?? (Distance(closest, key) <= 3 ? closest : null);
        return nearest is null ? null : "--" + nearest;
    }

    /// <summary>The edit distance between two names (insertions, deletions, substitutions).</summary>
    private static int Distance(string a, string b)
    {
        var row = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var diagonal = row[0];
            row[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var above = row[j];
                row[j] = Math.Min(Math.Min(row[j] + 1, row[j - 1] + 1), diagonal + (a[i - 1] == b[j - 1] ? 0 : 1));
                diagonal = above;
            }
        }

        return row[b.Length];
    }
}
