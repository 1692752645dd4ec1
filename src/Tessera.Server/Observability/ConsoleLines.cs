using System.Collections.Concurrent;
using System.Text;

namespace Tessera.Server.Observability;

/// <summary>
/// The log's way to standard output: callers queue whole formatted lines without taking a lock, and one background
/// thread writes everything queued in one buffered write, flushed when the queue is empty. Under load that is one
/// system call for hundreds of lines; when idle, each line is written as soon as it comes. At most
/// <see cref="Capacity"/> lines wait: beyond that a caller waits for the writer (nothing is dropped).
/// </summary>
internal sealed class ConsoleLines : IDisposable
{
    public const int Capacity = 10_000;

    private const int BufferBytes = 64 * 1024;

    private readonly ConcurrentQueue<string> queue = new();
    private readonly ManualResetEventSlim wake = new(false);
    private readonly TextWriter output;
    private readonly Thread writer;
    private int queued;
    private int sleeping;
    private volatile bool stopping;

    public ConsoleLines(Stream stdout)
    {
        output = new StreamWriter(stdout, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferBytes, leaveOpen: true) { AutoFlush = false };
        writer = new Thread(WriteLoop) { IsBackground = true, Name = "Tessera console log" };
        writer.Start();
    }

    /// <summary>Queues one or more whole lines (each ending with a newline).</summary>
    public void Enqueue(string lines)
    {
        queue.Enqueue(lines);
        var waiting = Interlocked.Increment(ref queued);
        if (stopping)
        {
            // Logged while the host is disposed: the writer thread may have drained for the last time already.
            DrainAndFlush();
            return;
        }

        if (waiting > Capacity)
        {
            WaitForRoom();
        }

        // The writer sets sleeping before it looks at the queue a last time, and this reads it after queueing (both
        // full fences), so either the writer sees this line or this sees it asleep and wakes it.
        if (Volatile.Read(ref sleeping) == 1)
        {
            wake.Set();
        }
    }

    public void Dispose()
    {
        stopping = true;
        wake.Set();
        writer.Join(TimeSpan.FromSeconds(2));
        wake.Dispose();
    }

    private void WaitForRoom()
    {
        wake.Set();
        var spin = new SpinWait();
        while (Volatile.Read(ref queued) > Capacity && !stopping)
        {
            spin.SpinOnce(sleep1Threshold: 10);
        }
    }

    private void WriteLoop()
    {
        while (true)
        {
            var wrote = false;
            while (queue.TryDequeue(out var lines))
            {
                Interlocked.Decrement(ref queued);
                Write(lines);
                wrote = true;
            }

            if (wrote)
            {
                Flush();
                continue;
            }

            if (stopping)
            {
                // Lines queued while stopping began; later ones are drained by whoever queues them.
                DrainAndFlush();
                return;
            }

            wake.Reset();
            Interlocked.Exchange(ref sleeping, 1);
            if (queue.IsEmpty && !stopping)
            {
                wake.Wait();
            }

            Interlocked.Exchange(ref sleeping, 0);
        }
    }

    /// <summary>Writes everything queued, under a lock: once stopping, both the writer and callers may drain.</summary>
    private void DrainAndFlush()
    {
        lock (output)
        {
            while (queue.TryDequeue(out var lines))
            {
                Interlocked.Decrement(ref queued);
                Write(lines);
            }

            Flush();
        }
    }

    private void Write(string lines)
    {
        try
        {
            output.Write(lines);
        }
        catch (IOException)
        {
            // Standard output is gone (a closed pipe): there is nowhere left to log to.
        }
    }

    private void Flush()
    {
        try
        {
            output.Flush();
        }
        catch (IOException)
        {
        }
    }
}
