using Grpc.Core;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Monitoring.Logs;
using Tessera.Users;

namespace Tessera.Monitoring;

public sealed partial class MonitoringService
{
    public override async Task StreamLogs(StreamLogsRequest request, IServerStreamWriter<LogEntry> responseStream, ServerCallContext context)
    {
        RequireAdmin(context, "StreamLogs");
        var minLevel = request.MinLevel == LogLevel.Unspecified ? LogLevel.Information : request.MinLevel;
        if (!Enum.IsDefined(minLevel))
        {
            throw RpcErrors.InvalidArgument("min_level", "must be a LogLevel from LOG_LEVEL_TRACE to LOG_LEVEL_CRITICAL");
        }

        if (request.Backlog < 0 || request.Backlog > logs.Capacity)
        {
            throw RpcErrors.InvalidArgument("backlog", $"must be from 0 to {logs.Capacity} (the buffer's size)");
        }

        RequireKnownService(request.ServiceName);
        var filter = new LogFilter(minLevel, request.Category, request.ServiceName, request.Contains);
        using var cancellation = LinkToShutdown(context);
        using var reader = logs.Subscribe(filter, request.Backlog);
        try
        {
            while (await reader.ReadAsync(cancellation.Token) is { } entry)
            {
                await responseStream.WriteAsync(entry, context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
        catch (OperationCanceledException) when (context.CancellationToken.IsCancellationRequested)
        {
            // The caller went away.
        }
    }
}
