using System.Runtime.CompilerServices;
using Tessera.Contracts.Monitoring.V1;
using MonitoringServiceClient = Tessera.Contracts.Monitoring.V1.MonitoringService.MonitoringServiceClient;

namespace Tessera.Client;

/// <summary>monitoring.v1 (admins only): the server's live metrics and logs.</summary>
public sealed partial class TesseraClient
{
    private readonly MonitoringServiceClient _monitoring;

    /// <summary>One MetricData per service and interval until cancelled.</summary>
    public async IAsyncEnumerable<MetricData> StreamMetricsAsync(
        StreamMetricsRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = _monitoring.StreamMetrics(request, StreamOptions(null, cancellationToken));
        await foreach (var data in ReadAllAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false))
        {
            yield return data;
        }
    }

    /// <summary>The server's log entries that match, the backlog first, then live until cancelled.</summary>
    public async IAsyncEnumerable<LogEntry> StreamLogsAsync(
        StreamLogsRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = _monitoring.StreamLogs(request, StreamOptions(null, cancellationToken));
        await foreach (var entry in ReadAllAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }
}
