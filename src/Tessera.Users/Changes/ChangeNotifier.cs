namespace Tessera.Users.Changes;

/// <summary>
/// Tells waiting streams that the change log has grown. It carries no events itself: each stream reads
/// the log from its own last revision, so a wake-up can never lose or reorder anything.
/// </summary>
public sealed class ChangeNotifier
{
    private readonly Lock gate = new();
    private TaskCompletionSource signal = NewSignal();
    private long latest;

    public long Latest => Volatile.Read(ref latest);

    /// <summary>Records that every revision up to <paramref name="revision"/> is committed, and wakes the waiters.</summary>
    public void Publish(long revision)
    {
        TaskCompletionSource fired;
        lock (gate)
        {
            if (revision <= latest)
            {
                return;
            }

            latest = revision;
            fired = signal;
            signal = NewSignal();
        }

        fired.TrySetResult();
    }

    /// <summary>Completes once a revision greater than <paramref name="revision"/> is committed.</summary>
    public async Task WaitBeyondAsync(long revision, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (latest > revision)
                {
                    return;
                }

                next = signal.Task;
            }

            await next.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
