using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client.Balancer;

namespace Tessera.Client.Balancing;

/// <summary>
/// Watches one subchannel's health while it is connected: a grpc.health.v1 <c>Watch</c> call for the service, sent
/// over that subchannel's own connection (the picker routes it there by <see cref="HealthCheckedPicker.SubchannelHeader"/>),
/// as gRPC's client-side health checking does (proposal A17). A failed or ended watch is started again with backoff
/// (1 s doubling to 10 s) while the subchannel stays connected; UNIMPLEMENTED turns checking off for that server.
/// </summary>
internal sealed class SubchannelHealthWatch(
    Subchannel subchannel, string id, string service, Task<CallInvoker> channel, Action changed) : IDisposable
{
    private static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(10);

    private readonly Lock _lock = new();
    private CancellationTokenSource? _watching;
    private volatile ServerHealth _health = ServerHealth.Unknown;
    private bool _disposed;

    public Subchannel Subchannel { get; } = subchannel;

    /// <summary>The value of <see cref="HealthCheckedPicker.SubchannelHeader"/> that sends a call to this subchannel.</summary>
    public string Id { get; } = id;

    public ServerHealth Health => _health;

    /// <summary>Why the server is left out, while <see cref="Health"/> is <see cref="ServerHealth.NotServing"/>.</summary>
    public string? Problem { get; private set; }

    /// <summary>Starts watching when the subchannel is connected (READY), stops and forgets the health when it is not.</summary>
    /// <remarks>
    /// The channel calls this under its own locks, so the watch call is started, and a stopped one cancelled, only
    /// after this watch's lock is released (starting or cancelling a call takes the channel's locks).
    /// </remarks>
    public void OnStateChanged(SubchannelState state)
    {
        CancellationTokenSource? started = null;
        CancellationTokenSource? stopped = null;
        var forgotten = false;
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            if (state.State == ConnectivityState.Ready)
            {
                if (_watching is null)
                {
                    started = _watching = new CancellationTokenSource();
                }
            }
            else
            {
                (stopped, _watching) = (_watching, null);
                forgotten = _health != ServerHealth.Unknown;
                _health = ServerHealth.Unknown;
                Problem = null;
            }
        }

        if (started is not null)
        {
            var token = started.Token;
            _ = Task.Run(() => WatchAsync(token), CancellationToken.None);
        }

        Stop(stopped);
        if (forgotten)
        {
            changed();
        }
    }

    public void Dispose()
    {
        CancellationTokenSource? stopped;
        lock (_lock)
        {
            _disposed = true;
            (stopped, _watching) = (_watching, null);
        }

        Stop(stopped);
    }

    /// <summary>Cancels a watch. Its source is not disposed: the watch may still be registering on its token.</summary>
    private static void Stop(CancellationTokenSource? watching) => watching?.Cancel();

    private async Task WatchAsync(CancellationToken cancellationToken)
    {
        try
        {
            var health = new Health.HealthClient(await channel.WaitAsync(cancellationToken).ConfigureAwait(false));
            var delay = FirstRetryDelay;
            while (true)
            {
                if (await WatchOnceAsync(health, cancellationToken).ConfigureAwait(false))
                {
                    delay = FirstRetryDelay;
                }

                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
        }
        catch (Exception e) when (cancellationToken.IsCancellationRequested && e is OperationCanceledException or RpcException or ObjectDisposedException)
        {
            // The subchannel disconnected or went, or the channel was disposed.
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.Unimplemented)
        {
            SetHealth(ServerHealth.Unchecked, cancellationToken);
        }
    }

    /// <summary>
    /// One Watch call until it ends; true when the server answered at least once. UNIMPLEMENTED is thrown. A watch that
    /// ends or fails leaves the server out until a new watch answers (as gRPC's own health checking does): a server
    /// that cannot answer its health check, e.g. one that refuses the connection's protocol, gets no calls.
    /// </summary>
    private async Task<bool> WatchOnceAsync(Health.HealthClient health, CancellationToken cancellationToken)
    {
        var answered = false;
        string problem;
        try
        {
            var headers = new Metadata { { HealthCheckedPicker.SubchannelHeader, Id } };
            using var call = health.Watch(new HealthCheckRequest { Service = service }, headers, cancellationToken: cancellationToken);
            while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                answered = true;
                SetHealth(
                    call.ResponseStream.Current.Status == HealthCheckResponse.Types.ServingStatus.Serving ? ServerHealth.Serving : ServerHealth.NotServing,
                    cancellationToken);
            }

            problem = "its health watch ended";
        }
        catch (RpcException e) when (e.StatusCode != StatusCode.Unimplemented && !cancellationToken.IsCancellationRequested)
        {
            problem = $"its health watch failed: {e.StatusCode} {e.Status.Detail}".TrimEnd();
        }

        SetHealth(ServerHealth.NotServing, cancellationToken, problem);
        return answered;
    }

    /// <summary>Records an answer of the watch <paramref name="cancellationToken"/> belongs to, unless that watch was stopped.</summary>
    private void SetHealth(ServerHealth health, CancellationToken cancellationToken, string? problem = null)
    {
        lock (_lock)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            Problem = problem ?? (health == ServerHealth.NotServing ? "not SERVING" : null);
            if (_health == health)
            {
                return;
            }

            _health = health;
        }

        changed();
    }
}
