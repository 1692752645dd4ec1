namespace Tessera.Users.Storage;

/// <summary>
/// The most recent committed changes, in memory, so that watch streams following the log read new changes without
/// a query each. Only one writer adds (SQLite's writer, or PostgreSQL's change feed): to a pending list, trimmed when
/// a savepoint rolls back, moved in at commit;
/// readers ask for the changes after a revision and fall back to the database when it is older than the tail.
/// </summary>
internal sealed class ChangeTail(long committedRevision, int capacity = ChangeTail.DefaultCapacity)
{
    public const int DefaultCapacity = 8192;

    private readonly Lock gate = new();
    private readonly List<UserChange> pending = [];
    private readonly List<UserChange> committed = new(capacity * 2);

    /// <summary>Every committed change after this revision is in <see cref="committed"/>.</summary>
    private long completeAfter = committedRevision;

    /// <summary>Writer only: a change written in the open transaction.</summary>
    public void Add(UserChange change) => pending.Add(change);

    /// <summary>Writer only: where the pending list stands, to <see cref="RollBackTo"/> if a savepoint is undone.</summary>
    public int Mark => pending.Count;

    public void RollBackTo(int mark) => pending.RemoveRange(mark, pending.Count - mark);

    /// <summary>Writer only: the open transaction failed; none of its changes happened.</summary>
    public void Discard() => pending.Clear();

    /// <summary>Writer only: the transaction is committed; its changes join the tail (before the notifier is told) and are returned.</summary>
    public IReadOnlyList<UserChange> Commit()
    {
        var changes = pending.ToArray();
        lock (gate)
        {
            committed.AddRange(pending);
            if (committed.Count > capacity * 2)
            {
                // Keep the newest `capacity`; dropping in halves keeps the cost per change constant.
                var drop = committed.Count - capacity;
                completeAfter = committed[drop - 1].Revision;
                committed.RemoveRange(0, drop);
            }
        }

        pending.Clear();
        return changes;
    }

    /// <summary>Up to <paramref name="limit"/> committed changes after <paramref name="revision"/>; false when the tail no longer holds them all.</summary>
    public bool TryRead(long revision, int limit, out List<UserChange> changes)
    {
        lock (gate)
        {
            if (revision < completeAfter)
            {
                changes = [];
                return false;
            }

            var first = FirstAfter(revision);
            changes = committed.GetRange(first, Math.Min(limit, committed.Count - first));
            return true;
        }
    }

    /// <summary>The index of the first change after <paramref name="revision"/> (revisions ascend), by binary search.</summary>
    private int FirstAfter(long revision)
    {
        int low = 0, high = committed.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (committed[middle].Revision <= revision)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }

        return low;
    }
}
