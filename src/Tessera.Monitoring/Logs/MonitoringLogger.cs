using System.Diagnostics;
using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Monitoring.V1;
using ProtoLevel = Tessera.Contracts.Monitoring.V1.LogLevel;

namespace Tessera.Monitoring.Logs;

/// <summary>
/// Turns one category's log calls into <see cref="LogEntry"/> values in the <see cref="LogBuffer"/>: the formatted
/// message, the template's values, the exception's type and message (never its stack trace) and the trace id of
/// <see cref="Activity.Current"/>. Never waits.
/// </summary>
public sealed class MonitoringLogger(string category, LogBuffer buffer, TimeProvider clock) : ILogger
{
    private const string OriginalFormat = "{OriginalFormat}";
    private readonly string service = ServiceNames.OfCategory(category);

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => logLevel != Microsoft.Extensions.Logging.LogLevel.None;

    public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel))
        {
            return;
        }

        ArgumentNullException.ThrowIfNull(formatter);
        var entry = new LogEntry
        {
            Timestamp = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            Level = ToProto(logLevel),
            Category = category,
            ServiceName = service,
            Message = formatter(state, exception),
            TraceId = Activity.Current is { IdFormat: ActivityIdFormat.W3C } activity ? activity.TraceId.ToHexString() : "",
            Exception = exception is null ? "" : $"{exception.GetType().FullName}: {exception.Message}",
        };
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key != OriginalFormat)
                {
                    entry.Attributes[key] = Convert.ToString(value, CultureInfo.InvariantCulture) ?? "";
                }
            }
        }

        buffer.Write(entry);
    }

    public static ProtoLevel ToProto(Microsoft.Extensions.Logging.LogLevel level) => level switch
    {
        Microsoft.Extensions.Logging.LogLevel.Trace => ProtoLevel.Trace,
        Microsoft.Extensions.Logging.LogLevel.Debug => ProtoLevel.Debug,
        Microsoft.Extensions.Logging.LogLevel.Information => ProtoLevel.Information,
        Microsoft.Extensions.Logging.LogLevel.Warning => ProtoLevel.Warning,
        Microsoft.Extensions.Logging.LogLevel.Error => ProtoLevel.Error,
        _ => ProtoLevel.Critical,
    };
}
