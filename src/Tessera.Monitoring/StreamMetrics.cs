using Grpc.Core;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Monitoring.Metrics;
using Tessera.Users;

namespace Tessera.Monitoring;

public sealed partial class MonitoringService
{
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MinInterval = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromHours(1);

    public override async Task StreamMetrics(StreamMetricsRequest request, IServerStreamWriter<MetricData> responseStream, ServerCallContext context)
    {
        RequireAdmin(context, "StreamMetrics");
        var interval = IntervalOf(request);
        if (request.MetricNames.Any(name => name.Length == 0))
        {
            throw RpcErrors.InvalidArgument("metric_names", "names must not be empty (use \"prefix*\" for a prefix, or no names for all)");
        }

        RequireKnownService(request.ServiceName);
        var filter = new MetricFilter(request.MetricNames, request.ServiceName);
        using var cancellation = LinkToShutdown(context);
        using var subscription = metrics.Subscribe(interval);
        try
        {
            await foreach (var snapshot in subscription.Snapshots.ReadAllAsync(cancellation.Token))
            {
                foreach (var data in filter.Apply(snapshot))
                {
                    await responseStream.WriteAsync(data, context.CancellationToken);
                }
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

    private static TimeSpan IntervalOf(StreamMetricsRequest request)
    {
        if (request.Interval is null)
        {
            return DefaultInterval;
        }

        TimeSpan interval;
        try
        {
            interval = request.Interval.ToTimeSpan();
        }
        catch (InvalidOperationException)
        {
            interval = TimeSpan.Zero;
        }

        return interval >= MinInterval && interval <= MaxInterval
            ? interval
            : throw RpcErrors.InvalidArgument("interval", "must be from 100 milliseconds to 1 hour (unset means 1 second)");
    }
}
