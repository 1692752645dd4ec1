using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The store's single writer, with group commit: writes that arrive while a commit is in progress wait in a
/// queue, and the next transaction runs them all, each inside its own savepoint (so one failing write rolls back
/// only itself), then commits once: one fsync (PRAGMA synchronous = FULL) for the whole group. No write is
/// acknowledged before the commit that holds it.
/// </summary>
internal sealed class GroupCommitWriter : IDisposable
{
    /// <summary>Writes committed together at most; bounds how long the first of a group waits for the last.</summary>
    public const int MaxGroup = 256;

    private readonly SqliteConnection connection;
    private readonly ChangeTail tail;
    private readonly UserCache cache;
    private readonly Action<long> committed;
    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task loop;
    private readonly WriterStatements statements;

    public GroupCommitWriter(SqliteConnection connection, WriterStatements statements, ChangeTail tail, UserCache cache, Action<long> committed)
    {
        this.connection = connection;
        this.statements = statements;
        this.tail = tail;
        this.cache = cache;
        this.committed = committed;
        loop = Task.Factory.StartNew(RunAsync, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Runs <paramref name="work"/> in the next group's transaction; completes once that transaction is committed.</summary>
    public Task<T> WriteAsync<T>(Func<SqliteTransaction, (T Result, long Revision)> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var pending = new PendingWrite<T>(work, cancellationToken);
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(GroupCommitWriter));
        }

        return pending.Task;
    }

    public void Dispose()
    {
        queue.Writer.TryComplete();
        loop.GetAwaiter().GetResult();
    }

    private async Task RunAsync()
    {
        var group = new List<PendingWrite>(MaxGroup);
        while (await queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (group.Count < MaxGroup && queue.Reader.TryRead(out var pending))
            {
                if (pending.CancellationToken.IsCancellationRequested)
                {
                    pending.Cancel();
                }
                else
                {
                    group.Add(pending);
                }
            }

            if (group.Count > 0)
            {
                CommitGroup(group);
                group.Clear();
            }
        }
    }

    private void CommitGroup(List<PendingWrite> group)
    {
        var revision = 0L;
        cache.BeginCommit();
        try
        {
            using var transaction = connection.BeginTransaction();
            if (group.Count == 1)
            {
                // A write alone needs no savepoint: its failure rolls the whole transaction back (below), which is
                // the same outcome, and SQLite keeps no copy of the pages it changes (most of a bulk create's cost).
                revision = group[0].Run(transaction);
            }
            else
            {
                foreach (var pending in group)
                {
                    Execute(transaction, "SAVEPOINT write");
                    var mark = tail.Mark;
                    try
                    {
                        revision = Math.Max(revision, pending.Run(transaction));
                        Execute(transaction, "RELEASE write");
                    }
                    catch (Exception e) when (e is not SqliteException { SqliteErrorCode: SQLITE_IOERR or SQLITE_FULL })
                    {
                        // The write's own failure (a unique clash, a stale etag): undo it alone; the others still commit.
                        Execute(transaction, "ROLLBACK TO write; RELEASE write");
                        tail.RollBackTo(mark);
                        pending.Fail(e);
                    }
                }
            }

            transaction.Commit();
        }
        catch (Exception e)
        {
            // The commit itself failed (disk full, I/O error), or a write alone in its group did: nothing of the group
            // is durable, so every write fails.
            tail.Discard();
            cache.EndCommit([]);
            foreach (var pending in group)
            {
                pending.Fail(e);
            }

            return;
        }

        cache.EndCommit(tail.Commit());
        committed(revision);
        foreach (var pending in group)
        {
            pending.Complete();
        }
    }

    /// <summary>Runs one of the savepoint statements, each compiled once.</summary>
    private void Execute(SqliteTransaction transaction, string sql) => statements.Get(transaction, sql).ExecuteNonQuery();

    /// <summary>A queued write: runs inside the group's transaction, and is told afterwards how the commit went.</summary>
    private abstract class PendingWrite(CancellationToken cancellationToken)
    {
        public CancellationToken CancellationToken { get; } = cancellationToken;

        /// <summary>Runs the work; returns the last change-log revision it wrote (0 when none).</summary>
        public abstract long Run(SqliteTransaction transaction);

        /// <summary>Reports the work's result: its transaction is committed (a write that already failed keeps its failure).</summary>
        public abstract void Complete();

        public abstract void Fail(Exception exception);

        public abstract void Cancel();
    }

    private sealed class PendingWrite<T>(Func<SqliteTransaction, (T Result, long Revision)> work, CancellationToken cancellationToken)
        : PendingWrite(cancellationToken)
    {
        private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T result = default!;

        public Task<T> Task => completion.Task;

        public override long Run(SqliteTransaction transaction)
        {
            (result, var revision) = work(transaction);
            return revision;
        }

        public override void Complete() => completion.TrySetResult(result);

        public override void Fail(Exception exception) => completion.TrySetException(exception);

        public override void Cancel() => completion.TrySetCanceled(CancellationToken);
    }
}
