using System.Globalization;
using Spectre.Console;
using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Cli.Output;

/// <summary>How <c>monitor logs</c> shows an entry: one line, coloured by level on a terminal.</summary>
internal static class LogView
{
    public static string Plain(LogEntry entry) => string.Create(CultureInfo.InvariantCulture,
        $"{Lost(entry)}{entry.Timestamp?.ToDateTimeOffset():O} {Level(entry.Level)} [{entry.ServiceName}] {entry.Category}: {entry.Message}{Exception(entry)}{Trace(entry)}");

    public static string Markup(LogEntry entry) => string.Create(CultureInfo.InvariantCulture,
        $"{Spectre.Console.Markup.Escape(Lost(entry))}[grey]{entry.Timestamp?.ToDateTimeOffset().ToLocalTime():HH:mm:ss.fff}[/] [{Colour(entry.Level)}]{Level(entry.Level)}[/] [grey]{Spectre.Console.Markup.Escape(entry.Category)}[/] {Spectre.Console.Markup.Escape(entry.Message + Exception(entry) + Trace(entry))}");

    private static string Lost(LogEntry entry) => entry.DroppedBefore > 0 ? $"... {entry.DroppedBefore} entries lost (reading too slowly)\n" : "";

    private static string Exception(LogEntry entry) => entry.Exception.Length > 0 ? $" ({entry.Exception})" : "";

    private static string Trace(LogEntry entry) => entry.TraceId.Length > 0 ? $" trace={entry.TraceId}" : "";

    private static string Level(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        LogLevel.Critical => "crit",
        _ => "????",
    };

    private static string Colour(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => "grey",
        LogLevel.Information => "green",
        LogLevel.Warning => "yellow",
        LogLevel.Error => "red",
        LogLevel.Critical => "bold red",
        _ => "default",
    };
}
