using System.Threading.Channels;
using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Monitoring.Logs;

/// <summary>
/// One StreamLogs caller's queue of matching entries, bounded: when it is full the oldest entry is dropped, and the
/// next entry read carries how many were dropped before it (<see cref="LogEntry.DroppedBefore"/>). Writers never wait.
/// </summary>
public sealed class LogReader : IDisposable
{
    private readonly Queue<LogEntry> queue = new();
    private readonly Lock gate = new();
    private readonly Channel<bool> signal = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly LogBuffer buffer;
    private readonly LogFilter filter;
    private readonly int capacity;
    private long dropped;
    private bool completed;

    internal LogReader(LogBuffer buffer, LogFilter filter, int capacity)
    {
        this.buffer = buffer;
        this.filter = filter;
        this.capacity = capacity;
    }

    /// <summary>The next entry, waiting for one; null once the server stops logging (at shutdown) and the queue is read.</summary>
    public async ValueTask<LogEntry?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            lock (gate)
            {
                if (queue.TryDequeue(out var entry))
                {
                    if (dropped > 0)
                    {
                        entry = entry.Clone();
                        entry.DroppedBefore = dropped;
                        dropped = 0;
                    }

                    return entry;
                }

                if (completed)
                {
                    return null;
                }
            }

            if (await signal.Reader.WaitToReadAsync(cancellationToken))
            {
                signal.Reader.TryRead(out _);
            }
        }
    }

    public void Dispose() => buffer.Unsubscribe(this);

    /// <summary>Queues a matching entry without waiting, dropping the oldest when the queue is full.</summary>
    internal void Offer(LogEntry entry)
    {
        if (!filter.Matches(entry))
        {
            return;
        }

        lock (gate)
        {
            if (queue.Count >= capacity)
            {
                queue.Dequeue();
                dropped++;
            }

            queue.Enqueue(entry);
        }

        signal.Writer.TryWrite(true);
    }

    internal void Complete()
    {
        lock (gate)
        {
            completed = true;
        }

        signal.Writer.TryComplete();
    }
}
