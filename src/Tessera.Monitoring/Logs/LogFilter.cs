using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Monitoring.Logs;

/// <summary>One StreamLogs caller's filters: minimum level, category prefix, service, and text the message contains (any case).</summary>
public sealed record LogFilter(LogLevel MinLevel, string Category, string Service, string Contains)
{
    public bool Matches(LogEntry entry) =>
        entry.Level >= MinLevel
        && (Category.Length == 0 || entry.Category.StartsWith(Category, StringComparison.Ordinal))
        && (Service.Length == 0 || entry.ServiceName == Service)
        && (Contains.Length == 0 || entry.Message.Contains(Contains, StringComparison.OrdinalIgnoreCase));
}
