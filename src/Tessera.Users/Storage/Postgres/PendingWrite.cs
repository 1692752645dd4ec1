using Tessera.Users.Changes;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// A write queued for the next group commit (<see cref="PostgresWriter"/>). It is acknowledged only after its
/// transaction committed and the change feed published the group's revision, so a caller that then reads or watches
/// on this replica sees its own write.
/// </summary>
internal abstract class PendingWrite(CancellationToken cancellationToken)
{
    public CancellationToken CancellationToken { get; } = cancellationToken;

    /// <summary>The write's own failure in the current attempt (it was undone alone); null when it succeeded.</summary>
    public Exception? Failure { get; set; }

    /// <summary>Reports the outcome once <paramref name="revision"/> is published (0: nothing to wait for).</summary>
    public async Task AcknowledgeAsync(ChangeNotifier notifier, long revision)
    {
        if (Failure is not null)
        {
            Fail(Failure);
            return;
        }

        try
        {
            if (revision > 0)
            {
                await notifier.WaitBeyondAsync(revision - 1, CancellationToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Committed, but the caller stopped waiting (deadline): it cannot tell, as with any deadline after commit.
            Cancel();
            return;
        }

        Complete();
    }

    protected abstract void Complete();

    public abstract void Fail(Exception exception);

    public abstract void Cancel();
}
