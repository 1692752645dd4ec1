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

        var start = tracker.NextPick();
        var waiting = false;
        for (var i = 0; i < ready.Count; i++)
        {
            var watch = ready[(int)((start + i) % ready.Count)];
            switch (watch.Health)
            {
                case ServerHealth.Serving or ServerHealth.Unchecked:
                    return PickResult.ForSubchannel(watch.Subchannel);
                case ServerHealth.Unknown:
                    waiting = true;
                    break;
            }
        }

        return waiting || ready.Count == 0
            ? PickResult.ForQueue()
            : PickResult.ForFailure(new Status(
                StatusCode.Unavailable,
                $"no server reports SERVING for {(tracker.Service.Length == 0 ? "the server" : tracker.Service)} (grpc.health.v1); {ready.Count} connected"));
    }

    /// <summary>The watch's subchannel while it is connected; otherwise the watch waits (it is cancelled when the subchannel drops).</summary>
    private static PickResult PickForHealthWatch(IReadOnlyList<SubchannelHealthWatch> ready, string? id)
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
