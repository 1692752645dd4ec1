using Grpc.Net.Client.Balancer;
using Microsoft.Extensions.Logging;

namespace Tessera.Client.Balancing;

/// <summary>
/// <c>round_robin</c> with client-side health checking (gRPC proposal A17), which grpc-dotnet's own round_robin lacks:
/// grpc-dotnet connects to every address and keeps the connected ones; <see cref="HealthTracker"/> watches each
/// connected server's grpc.health.v1 status and <see cref="HealthCheckedPicker"/> leaves out those not SERVING.
/// </summary>
internal sealed class HealthCheckedRoundRobinBalancer : SubchannelsLoadBalancer
{
    private readonly HealthTracker _tracker;

    private HealthCheckedRoundRobinBalancer(HealthTracker tracker, ILoggerFactory loggerFactory)
        : base(tracker, loggerFactory)
    {
        _tracker = tracker;
    }

    public static HealthCheckedRoundRobinBalancer Create(LoadBalancerOptions options, string service, Task<Grpc.Core.CallInvoker> invoker) =>
        new(new HealthTracker(options.Controller, service, invoker), options.LoggerFactory);

    protected override SubchannelPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels) =>
        _tracker.CreatePicker(readySubchannels);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            _tracker.Dispose();
        }
    }
}
