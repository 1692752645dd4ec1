using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Monitoring.Logs;

/// <summary>
/// The server's newest log entries in a ring of <see cref="Capacity"/> (the oldest is overwritten), and the StreamLogs
/// readers following it. Writing takes one short lock and never waits for a reader: each reader has its own bounded
/// queue (<see cref="ReaderCapacity"/> plus its backlog) that drops its oldest entries when it falls behind.
/// </summary>
public sealed class LogBuffer(int capacity = LogBuffer.DefaultCapacity, int readerCapacity = LogBuffer.DefaultReaderCapacity)
{
    public const int DefaultCapacity = 10_000;
    public const int DefaultReaderCapacity = 1_000;

    private readonly LogEntry?[] ring = new LogEntry?[capacity];
    private readonly List<LogReader> readers = [];
    private readonly Lock gate = new();
    private long written;
    private bool completed;

    public int Capacity { get; } = capacity;

    public int ReaderCapacity { get; } = readerCapacity;

    /// <summary>Entries written since start (the ring holds the newest <see cref="Capacity"/> of them).</summary>
    public long Written
    {
        get
        {
            lock (gate)
            {
                return written;
            }
        }
    }

    public void Write(LogEntry entry)
    {
        lock (gate)
        {
            if (completed)
            {
                return;
            }

            ring[written % Capacity] = entry;
            written++;
            foreach (var reader in readers)
            {
                reader.Offer(entry);
            }
        }
    }

    /// <summary>
    /// A reader that first gets the newest <paramref name="backlog"/> buffered entries that match (oldest first), then
    /// every matching entry written after. Completed at once when the buffer has been completed.
    /// </summary>
    public LogReader Subscribe(LogFilter filter, int backlog)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(backlog);
        var reader = new LogReader(this, filter, ReaderCapacity + Math.Min(backlog, Capacity));
        lock (gate)
        {
            if (backlog > 0)
            {
                var matching = new List<LogEntry>(Math.Min(backlog, 256));
                for (var i = written - 1; i >= Math.Max(0, written - Capacity) && matching.Count < backlog; i--)
                {
                    var entry = ring[i % Capacity]!;
                    if (filter.Matches(entry))
                    {
                        matching.Add(entry);
                    }
                }

                for (var i = matching.Count - 1; i >= 0; i--)
                {
                    reader.Offer(matching[i]);
                }
            }

            if (completed)
            {
                reader.Complete();
            }
            else
            {
                readers.Add(reader);
            }
        }

        return reader;
    }

    /// <summary>Ends every reader (after what it has queued) and ignores later entries: the server is stopping.</summary>
    public void Complete()
    {
        lock (gate)
        {
            completed = true;
            foreach (var reader in readers)
            {
                reader.Complete();
            }

            readers.Clear();
        }
    }

    internal void Unsubscribe(LogReader reader)
    {
        lock (gate)
        {
            readers.Remove(reader);
        }
    }
}
