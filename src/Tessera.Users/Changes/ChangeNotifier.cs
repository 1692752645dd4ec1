namespace Tessera.Users.Changes;

/// <summary>
/// Tells waiting streams that the change log has grown. It carries no events itself: each stream reads
/// the log from its own last revision, so a wake-up can never lose or reorder anything.
/// <para>
/// The rule every engine keeps: a store publishes revision N only when every revision below N is final (committed,
/// or never to commit), because watchers advance to the last revision they read and never look back. SQLite keeps it
/// with a single writer (see Storage/Sqlite/SqliteChangeLog.cs); PostgreSQL, with writers on many replicas, by
/// assigning revisions in commit order under a transaction-scoped advisory lock (see Storage/Postgres/).
/// </para>
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
