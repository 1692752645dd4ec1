using System.Threading.Channels;
using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Monitoring.Metrics;

/// <summary>
/// Shares sampling between StreamMetrics subscribers: one loop per distinct interval samples once a tick and hands the
/// same snapshot to each of its subscribers, which filter it themselves. A loop starts with its first subscriber and
/// stops with its last. A subscriber keeps only the newest snapshot it has not read.
/// </summary>
public sealed class MetricsHub(CallMeter calls, StoreSizes stores, TimeProvider clock) : IDisposable
{
    private readonly Dictionary<TimeSpan, Ticker> tickers = [];
    private readonly Lock gate = new();
    private readonly CancellationTokenSource stopping = new();

    /// <summary>How many sampling loops run now (one per distinct interval subscribed).</summary>
    public int Loops
    {
        get
        {
            lock (gate)
            {
                return tickers.Count;
            }
        }
    }

    public Subscription Subscribe(TimeSpan interval)
    {
        lock (gate)
        {
            ObjectDisposedException.ThrowIf(stopping.IsCancellationRequested, this);
            if (!tickers.TryGetValue(interval, out var ticker))
            {
                tickers[interval] = ticker = new Ticker(new MetricSampler(calls, stores, clock));
                _ = RunAsync(interval, ticker);
            }

            var subscription = new Subscription(this, interval);
            ticker.Subscribers.Add(subscription);
            return subscription;
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            stopping.Cancel();
            foreach (var ticker in tickers.Values)
            {
                ticker.Stop.Cancel();
                foreach (var subscription in ticker.Subscribers)
                {
                    subscription.Complete();
                }
            }

            tickers.Clear();
        }
    }

    private void Unsubscribe(Subscription subscription, TimeSpan interval)
    {
        lock (gate)
        {
            if (tickers.TryGetValue(interval, out var ticker) && ticker.Subscribers.Remove(subscription) && ticker.Subscribers.Count == 0)
            {
                tickers.Remove(interval);
                ticker.Stop.Cancel();
            }
        }
    }

    private async Task RunAsync(TimeSpan interval, Ticker ticker)
    {
        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ticker.Stop.Token))
            {
                var snapshot = ticker.Sampler.Sample();
                Subscription[] subscribers;
                lock (gate)
                {
                    subscribers = [.. ticker.Subscribers];
                }

                foreach (var subscriber in subscribers)
                {
                    subscriber.Offer(snapshot);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The last subscriber left, or the server is stopping.
        }
    }

    /// <summary>One StreamMetrics call's view of its interval's snapshots; dispose it when the call ends.</summary>
    public sealed class Subscription : IDisposable
    {
        private readonly Channel<IReadOnlyList<MetricData>> snapshots = Channel.CreateBounded<IReadOnlyList<MetricData>>(
            new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.DropOldest });

        private readonly MetricsHub hub;
        private readonly TimeSpan interval;

        internal Subscription(MetricsHub hub, TimeSpan interval)
        {
            this.hub = hub;
            this.interval = interval;
        }

        /// <summary>The snapshots, newest only; completes when the server stops sampling.</summary>
        public ChannelReader<IReadOnlyList<MetricData>> Snapshots => snapshots.Reader;

        public void Dispose() => hub.Unsubscribe(this, interval);

        internal void Offer(IReadOnlyList<MetricData> snapshot) => snapshots.Writer.TryWrite(snapshot);

        internal void Complete() => snapshots.Writer.TryComplete();
    }

    private sealed class Ticker(MetricSampler sampler)
    {
        public MetricSampler Sampler { get; } = sampler;

        public HashSet<Subscription> Subscribers { get; } = [];

        public CancellationTokenSource Stop { get; } = new();
    }
}
