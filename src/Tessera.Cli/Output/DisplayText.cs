using System.Globalization;
using Google.Protobuf.WellKnownTypes;

namespace Tessera.Cli.Output;

/// <summary>Small pieces of text shared by the table views.</summary>
internal static class DisplayText
{
    /// <summary>A UTC time as <c>2025-01-31 12:00:00Z</c>, or empty when unset.</summary>
    public static string Time(Timestamp? timestamp) =>
        timestamp is null ? "" : timestamp.ToDateTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string YesNo(bool value) => value ? "yes" : "no";

    /// <summary><paramref name="text"/> cut to <paramref name="width"/> characters (with an ellipsis) and padded to it.</summary>
    public static string Fit(string text, int width) =>
        text.Length <= width ? text.PadRight(width) : string.Concat(text.AsSpan(0, width - 1), "…");
}
