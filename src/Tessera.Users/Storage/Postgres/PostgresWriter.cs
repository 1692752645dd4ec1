using System.Data;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Users.Changes;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// This replica's writer, with group commit as on SQLite: writes that arrive while a transaction runs wait in a
/// queue, and the next transaction runs them all and commits once. Up to <see cref="Lanes"/> groups run at a time,
/// each on a connection of its own, so that one group's statements overlap the previous one's commit round trip (the
/// revision lock still orders their commits; two groups of one replica are as two replicas). Creates of a group run
/// together, set-based (<see cref="BulkCreator"/>); every other write runs in its own savepoint, so its failure (a
/// clash, a stale etag, its caller's deadline cancelling its query) undoes it alone. The change log is appended last,
/// under the revision lock, in the commit's own round trip (<see cref="PostgresChangeLog.CommitAsync"/>). A write is acknowledged once its transaction
/// committed and the feed applied and published its revision (<see cref="PostgresChangeFeed.ApplyCommittedAsync"/>). A group that deadlocked with another replica's is run again.
/// </summary>
internal sealed class PostgresWriter : IAsyncDisposable
{
    /// <summary>Writes committed together at most; bounds how long the first of a group waits for the last.</summary>
    public const int MaxGroup = 512;

    /// <summary>Groups in flight at once (connections this writer holds).</summary>
    public const int Lanes = 2;

    private const int Attempts = 3;

    private readonly NpgsqlDataSource dataSource;
    private readonly PostgresChangeFeed feed;
    private readonly ChangeNotifier notifier;
    private readonly Func<DateTimeOffset> now;
    private readonly ILogger logger;
    private readonly Channel<PendingWrite> queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource stopping = new();
    private readonly Task loop;
    private readonly SemaphoreSlim lanes = new(Lanes, Lanes);

    /// <summary>Open connections of lanes that are not running a group.</summary>
    private readonly System.Collections.Concurrent.ConcurrentBag<NpgsqlConnection> idle = [];

    /// <summary>Groups running or committed whose writes are not all acknowledged yet; disposal waits for them.</summary>
    private int inFlight;

    public PostgresWriter(NpgsqlDataSource dataSource, PostgresChangeFeed feed, ChangeNotifier notifier, Func<DateTimeOffset> now, ILogger logger)
    {
        this.dataSource = dataSource;
        this.feed = feed;
        this.notifier = notifier;
        this.now = now;
        this.logger = logger;
        loop = Task.Run(RunAsync);
    }

    /// <summary>Runs <paramref name="work"/> in the next group's transaction, in a savepoint of its own.</summary>
    public Task<T> WriteAsync<T>(Func<WriteScope, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        var pending = new PendingWork<T>(work, cancellationToken);
        Enqueue(pending);
        return pending.Task;
    }

    /// <summary>Creates the items (one result per item, in order) in the next group's transaction.</summary>
    public Task<IReadOnlyList<BulkItemResult>> CreateAsync(IReadOnlyList<BulkCreateItem> items, CancellationToken cancellationToken)
    {
        var pending = new PendingCreate(items, cancellationToken);
        Enqueue(pending);
        return pending.Task;
    }

    public async ValueTask DisposeAsync()
    {
        queue.Writer.TryComplete();
        await loop;
        for (var i = 0; i < Lanes; i++)
        {
            await lanes.WaitAsync();
        }

        await stopping.CancelAsync();
        while (Volatile.Read(ref inFlight) > 0)
        {
            await Task.Delay(5);
        }

        while (idle.TryTake(out var connection))
        {
            await connection.DisposeAsync();
        }

        stopping.Dispose();
        lanes.Dispose();
    }

    private void Enqueue(PendingWrite pending)
    {
        pending.CancellationToken.ThrowIfCancellationRequested();
        if (!queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(PostgresWriter));
        }
    }

    private async Task RunAsync()
    {
        while (await queue.Reader.WaitToReadAsync())
        {
            // Wait for a free lane first: writes keep queuing meanwhile, and all of them join the group.
            await lanes.WaitAsync();
            var group = new List<PendingWrite>();
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

            if (group.Count == 0)
            {
                lanes.Release();
                continue;
            }

            Interlocked.Increment(ref inFlight);
            _ = Task.Run(() => CommitGroupAsync([.. group]));
        }
    }

    /// <summary>Runs a group in a lane of its own; the lane is free again once the group committed or failed.</summary>
    private async Task CommitGroupAsync(PendingWrite[] group)
    {
        var connection = idle.TryTake(out var open) ? open : null;
        try
        {
            for (var attempt = 1; ; attempt++)
            {
                List<UserChange> committed;
                try
                {
                    connection ??= await dataSource.OpenConnectionAsync(stopping.Token);
                    committed = await RunGroupAsync(connection, group);
                }
                catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure && attempt < Attempts)
                {
                    logger.LogDebug(e, "A group of {Count} writes deadlocked with another writer; running it again", group.Length);
                    continue;
                }
                catch (Exception e)
                {
                    // The transaction failed as a whole (the database is unreachable, the commit failed): nothing of it
                    // is durable, so every write fails. A broken connection is replaced by the lane's next group.
                    if (connection is { State: not ConnectionState.Open })
                    {
                        await connection.DisposeAsync();
                        connection = null;
                    }

                    foreach (var pending in group)
                    {
                        pending.Fail(e);
                    }

                    Interlocked.Decrement(ref inFlight);
                    return;
                }

                _ = AcknowledgeAsync(group, committed);
                return;
            }
        }
        finally
        {
            if (connection is not null)
            {
                idle.Add(connection);
            }

            lanes.Release();
        }
    }

    /// <summary>Hands the group's changes to the feed, then tells each write how it went once they are published.</summary>
    private async Task AcknowledgeAsync(PendingWrite[] group, List<UserChange> committed)
    {
        var revision = committed.Count == 0 ? 0 : committed[^1].Revision;
        try
        {
            if (revision > 0)
            {
                await feed.ApplyCommittedAsync(committed, stopping.Token);
            }
        }
        catch (Exception e) when (!stopping.IsCancellationRequested)
        {
            // The gap before them could not be read: the feed's own reads publish them later.
            logger.LogWarning(e, "Applying committed revisions up to {Revision} failed; the change feed reads them", revision);
            feed.Wake();
        }
        catch (OperationCanceledException)
        {
            // Stopping: the writes are committed, and acknowledged below without waiting for the feed.
            revision = 0;
        }
        finally
        {
            foreach (var pending in group)
            {
                _ = pending.AcknowledgeAsync(notifier, revision);
            }

            Interlocked.Decrement(ref inFlight);
        }
    }

    /// <summary>One attempt: runs every write of the group in one transaction and commits; returns its changes, with their revisions.</summary>
    private async Task<List<UserChange>> RunGroupAsync(NpgsqlConnection connection, PendingWrite[] group)
    {
        var token = stopping.Token;
        await using var transaction = await connection.BeginTransactionAsync(token);
        var scope = new WriteScope(connection, transaction);
        var creates = group.OfType<PendingCreate>().ToList();
        if (creates.Count > 0)
        {
            // Their callers' deadlines do not cancel these shared statements; they were checked when the group formed.
            await BulkCreator.RunAsync(scope, creates, StoreTime.Truncate(now()), token);
        }

        foreach (var pending in group)
        {
            if (pending is IRunsAlone work)
            {
                await RunAloneAsync(scope, pending, work, token);
            }
        }

        await PostgresChangeLog.CommitAsync(scope, token);
        return [.. scope.Changes.Select(change => new UserChange(change.Revision, change.Type, change.User, change.At))];
    }

    /// <summary>
    /// Runs one write inside a savepoint; its own failure rolls back to it and is kept for its caller. The previous
    /// write's savepoint is released in the same round trip as this one is set (COMMIT releases the last one).
    /// </summary>
    private static async Task RunAloneAsync(WriteScope scope, PendingWrite pending, IRunsAlone work, CancellationToken token)
    {
        pending.Failure = null;
        await using (var savepoint = new NpgsqlBatch(scope.Connection, scope.Transaction))
        {
            if (scope.SavepointSet)
            {
                savepoint.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT write"));
            }

            savepoint.BatchCommands.Add(new NpgsqlBatchCommand("SAVEPOINT write"));
            await savepoint.ExecuteNonQueryAsync(token);
        }

        scope.SavepointSet = true;
        var mark = scope.Mark;
        try
        {
            await work.RunAsync(scope);
        }
        catch (Exception e) when (scope.Connection.State == ConnectionState.Open && !token.IsCancellationRequested)
        {
            await using var rollback = new NpgsqlCommand("ROLLBACK TO SAVEPOINT write", scope.Connection, scope.Transaction);
            await rollback.ExecuteNonQueryAsync(token);
            scope.RollBackTo(mark);
            pending.Failure = e;
        }
    }
}
