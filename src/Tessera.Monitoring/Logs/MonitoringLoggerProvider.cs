using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Tessera.Monitoring.Logs;

/// <summary>
/// The logger provider that feeds StreamLogs (alias "Monitoring", so <c>Logging:Monitoring:LogLevel</c> can tune it).
/// Disposed with the host: the buffer is completed, which ends every StreamLogs reader.
/// </summary>
[ProviderAlias("Monitoring")]
public sealed class MonitoringLoggerProvider(LogBuffer buffer, TimeProvider clock) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, MonitoringLogger> loggers = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        loggers.GetOrAdd(categoryName, name => new MonitoringLogger(name, buffer, clock));

    public void Dispose() => buffer.Complete();
}
