using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Tessera.IntegrationTests.Observability;

/// <summary>One log entry as the server wrote it: the rendered message and the structured properties.</summary>
public sealed record CapturedLog(string Category, LogLevel Level, string EventName, string Message, IReadOnlyDictionary<string, object?> Properties, string? Exception)
{
    /// <summary>Everything the entry holds, as text: what a log sink could show.</summary>
    public string AllText =>
        string.Join(
            "\n",
            [Category, EventName, Message, Exception ?? "", .. Properties.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}")]);

    public override string ToString() => $"{Level} {Category}: {Message}";
}

/// <summary>A logger provider that keeps the server's entries (Information and up) of categories starting with a prefix.</summary>
public sealed class LogCapture(string categoryPrefix) : ILoggerProvider
{
    private readonly string prefix = categoryPrefix;
    private readonly ConcurrentQueue<CapturedLog> entries = new();

    public IReadOnlyList<CapturedLog> Entries => [.. entries];

    public ILogger CreateLogger(string categoryName) => new Recorder(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Recorder(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) =>
            logLevel >= LogLevel.Information && category.StartsWith(capture.prefix, StringComparison.Ordinal);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var properties = new Dictionary<string, object?>();
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                foreach (var (key, value) in pairs)
                {
                    properties[key] = value;
                }
            }

            capture.entries.Enqueue(new CapturedLog(category, logLevel, eventId.Name ?? "", formatter(state, exception), properties, exception?.ToString()));
        }
    }
}
