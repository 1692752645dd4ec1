using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace Tessera.Client.Balancing;

/// <summary>
/// Picks round-robin among the connected servers whose health is SERVING (or unchecked); a health watch's own call
/// goes to the subchannel its <see cref="SubchannelHeader"/> names, healthy or not.
/// </summary>
/// <remarks>
/// With no healthy server: while some connected server has not answered its first health check yet, the call waits
/// (a new picker comes with the answer); otherwise it fails UNAVAILABLE at once.
/// </remarks>
internal sealed class HealthCheckedPicker(HealthTracker tracker) : SubchannelPicker
{
    /// <summary>The request header that routes a health watch to its subchannel.</summary>
    public const string SubchannelHeader = "tessera-health-subchannel";

    public override PickResult Pick(PickContext context)
    {
        var ready = tracker.Ready;
        if (context.Request is { } request && request.Headers.TryGetValues(SubchannelHeader, out var ids))
        {
            return PickForHealthWatch(ready, ids.FirstOrDefault());
        }

        // Round-robin over the healthy ones alone, so each gets an equal share (not the one after a skipped server twice).
        var healthy = 0;
        var waiting = false;
        foreach (var watch in ready)
        {
            healthy += IsHealthy(watch) ? 1 : 0;
            waiting |= watch.Health == ServerHealth.Unknown;
        }

        if (healthy > 0)
        {
            var skip = (int)(tracker.NextPick() % healthy);
            foreach (var watch in ready)
            {
                if (IsHealthy(watch) && skip-- == 0)
                {
                    return PickResult.ForSubchannel(watch.Subchannel);
                }
            }
        }

        // Health can change between the two loops: then the call waits for the picker that change publishes.
        return waiting || ready.Length == 0 || healthy > 0
            ? PickResult.ForQueue()
            : PickResult.ForFailure(new Status(StatusCode.Unavailable, NoneHealthy(ready)));
    }

    private string NoneHealthy(SubchannelHealthWatch[] ready)
    {
        var service = tracker.Service.Length == 0 ? "the server" : tracker.Service;
        var servers = string.Join(", ", ready.Select(watch => $"{watch.Subchannel.CurrentAddress?.EndPoint} {watch.Problem}"));
        return $"no server reports SERVING for {service} (grpc.health.v1 client-side health checking): {servers}";
    }

    private static bool IsHealthy(SubchannelHealthWatch watch) => watch.Health is ServerHealth.Serving or ServerHealth.Unchecked;

    /// <summary>The watch's subchannel while it is connected; otherwise the watch waits (it is cancelled when the subchannel drops).</summary>
    private static PickResult PickForHealthWatch(SubchannelHealthWatch[] ready, string? id)
    {
        foreach (var watch in ready)
        {
            if (watch.Id == id)
            {
                return PickResult.ForSubchannel(watch.Subchannel);
            }
        }

        return PickResult.ForQueue();
    }
}
