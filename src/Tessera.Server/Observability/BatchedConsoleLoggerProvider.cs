using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Observability;

/// <summary>
/// The console log, formatted by the framework's own formatters (simple text or JSON, with their options, so the lines
/// are the ones <c>AddSimpleConsole</c> and <c>AddJsonConsole</c> write) and written through <see cref="ConsoleLines"/>:
/// a lock-free queue and one buffered write per batch, where the framework's console logger takes a lock and makes a
/// system call for every line. The per-call log line costs a call about a third of its throughput with the latter
/// (bench/README.md). Its configuration alias stays <c>Console</c>.
/// </summary>
[ProviderAlias("Console")]
internal sealed class BatchedConsoleLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConsoleFormatter formatter;
    private readonly ConsoleLines lines = new(Console.OpenStandardOutput());
    private IExternalScopeProvider scopes = new LoggerExternalScopeProvider();

    public BatchedConsoleLoggerProvider(IOptions<ConsoleLoggerOptions> options, IEnumerable<ConsoleFormatter> formatters)
    {
        var name = options.Value.FormatterName ?? ConsoleFormatterNames.Simple;
        formatter = formatters.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException($"no console log formatter named '{name}'");
    }

    public ILogger CreateLogger(string categoryName) => new Logger(categoryName, this);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => scopes = scopeProvider;

    public void Dispose() => lines.Dispose();

    private sealed class Logger(string category, BatchedConsoleLoggerProvider provider) : ILogger
    {
        [ThreadStatic]
        private static StringWriter? buffer;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => provider.scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var writer = buffer ??= new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
            var entry = new LogEntry<TState>(logLevel, category, eventId, state, exception, formatter);
            provider.formatter.Write(in entry, provider.scopes, writer);
            var text = writer.GetStringBuilder();
            if (text.Length == 0)
            {
                return;
            }

            provider.lines.Enqueue(text.ToString());
            text.Clear();
            if (text.Capacity > 4096)
            {
                text.Capacity = 1024;
            }
        }
    }
}
