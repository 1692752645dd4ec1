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
        if (stopping)
        {
            // Logged while the host is disposed: written at once, as the writer thread has finished.
            lock (output)
            {
                Write(lines);
                Flush();
            }

            return;
        }

        queue.Enqueue(lines);
        if (Interlocked.Increment(ref queued) > Capacity)
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
                lock (output)
                {
                    // Lines queued while stopping began, then nothing more reaches the queue.
                    while (queue.TryDequeue(out var last))
                    {
                        Write(last);
                    }

                    Flush();
                }

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
