using System.Globalization;
using Grpc.Core;
using Grpc.Net.Client.Balancer;

namespace Tessera.Client.Balancing;

/// <summary>
/// Sits between <see cref="HealthCheckedRoundRobinBalancer"/> and the channel: gives every subchannel the balancer
/// creates a <see cref="SubchannelHealthWatch"/>, remembers which subchannels are connected, and when a server's health
/// changes publishes a fresh <see cref="HealthCheckedPicker"/>, so calls waiting for a healthy server are picked again.
/// </summary>
/// <remarks>
/// Pickers read the connected subchannels and their health from here when they pick, so every picker, old or new,
/// picks the same way: the order in which the balancer and a health change publish them does not matter. A health
/// change publishes without holding a lock, because the channel calls the balancer under its own lock. Should a health
/// change republish just as the balancer reports that nothing is connected, the picker it leaves finds no connected
/// subchannel and calls wait for the balancer's next picker (or their deadline) instead of failing at once.
/// The channel's own state stays READY while servers are connected, healthy or not: the picker is what leaves the
/// unhealthy ones out, and fails calls UNAVAILABLE when none is healthy.
/// </remarks>
internal sealed class HealthTracker(IChannelControlHelper channel, string service, Task<CallInvoker> invoker)
    : IChannelControlHelper, IDisposable
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Subchannel, SubchannelHealthWatch> _watches = [];
    private SubchannelHealthWatch[] _ready = [];
    private BalancerState? _published;
    private long _nextId;
    private long _picks;

    /// <summary>The health service name the watches ask about.</summary>
    public string Service { get; } = service;

    /// <summary>The connected subchannels as of the balancer's last picker (empty while none is connected).</summary>
    public SubchannelHealthWatch[] Ready => Volatile.Read(ref _ready);

    /// <summary>A counter shared by every picker, so round-robin carries on across the pickers a health change makes.</summary>
    public long NextPick() => Interlocked.Increment(ref _picks);

    public Subchannel CreateSubchannel(SubchannelOptions options)
    {
        var subchannel = channel.CreateSubchannel(options);
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        var watch = new SubchannelHealthWatch(subchannel, id, Service, invoker, OnHealthChanged);
        lock (_lock)
        {
            _watches[subchannel] = watch;
        }

        subchannel.OnStateChanged(state =>
        {
            watch.OnStateChanged(state);
            if (state.State == ConnectivityState.Shutdown)
            {
                Forget(subchannel);
            }
        });
        return subchannel;
    }

    /// <summary>The picker the balancer gives the channel for <paramref name="readySubchannels"/>.</summary>
    public HealthCheckedPicker CreatePicker(IReadOnlyList<Subchannel> readySubchannels)
    {
        lock (_lock)
        {
            var ready = new List<SubchannelHealthWatch>(readySubchannels.Count);
            foreach (var subchannel in readySubchannels)
            {
                if (_watches.TryGetValue(subchannel, out var watch))
                {
                    ready.Add(watch);
                }
            }

            Volatile.Write(ref _ready, [.. ready]);
        }

        return new HealthCheckedPicker(this);
    }

    public void UpdateState(BalancerState state)
    {
        if (state.Picker is not HealthCheckedPicker)
        {
            // No subchannel is connected (the balancer's connecting or error picker).
            Volatile.Write(ref _ready, []);
        }

        Volatile.Write(ref _published, state);
        channel.UpdateState(state);
    }

    public void RefreshResolver() => channel.RefreshResolver();

    public void Dispose()
    {
        SubchannelHealthWatch[] watches;
        lock (_lock)
        {
            watches = [.. _watches.Values];
            _watches.Clear();
        }

        foreach (var watch in watches)
        {
            watch.Dispose();
        }
    }

    private void OnHealthChanged()
    {
        // A new picker object makes the channel pick again for the calls that wait; only while the balancer has
        // connected subchannels (otherwise its connecting or error picker stands).
        if (Volatile.Read(ref _published) is { Picker: HealthCheckedPicker } published)
        {
            var state = new BalancerState(published.ConnectivityState, new HealthCheckedPicker(this));
            Volatile.Write(ref _published, state);
            channel.UpdateState(state);
        }
    }

    private void Forget(Subchannel subchannel)
    {
        SubchannelHealthWatch? watch;
        lock (_lock)
        {
            _watches.Remove(subchannel, out watch);
        }

        watch?.Dispose();
    }
}
