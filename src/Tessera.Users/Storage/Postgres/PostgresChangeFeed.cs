using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Users.Changes;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// How one replica follows the change log that every replica writes. The table is the truth; NOTIFY on
/// <see cref="PostgresChangeLog.Channel"/> only says "look again". The feed reads <c>user_changes</c> after the last
/// revision it has, in revision order, whenever it is woken: by a notification on its own LISTEN connection, after
/// the listener (re)connects, after a failed read's backoff, and every <see cref="SafetyInterval"/> in any case. Each batch goes into the <see cref="ChangeTail"/> and the <see cref="UserCache"/>, and only then is its
/// last revision published to the <see cref="ChangeNotifier"/>. Because a visible revision has no unfinished one
/// below it (see <see cref="PostgresChangeLog"/>), reading "after the last one" never skips or repeats a change,
/// however late a notification comes or whether it comes at all: a listener that lost its connection reconnects with
/// backoff and the next read covers the gap. This replica's own commits are handed over by its writer
/// (<see cref="ApplyCommittedAsync"/>) and need not be read back: every revision below them is final, so only the gap
/// before them (other replicas' changes) is read.
/// </summary>
internal sealed class PostgresChangeFeed : IAsyncDisposable
{
    public static readonly TimeSpan SafetyInterval = TimeSpan.FromSeconds(1);
    private const int Page = 1000;
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly NpgsqlDataSource readers;
    private readonly NpgsqlDataSource listenerSource;
    private readonly ChangeTail tail;
    private readonly UserCache cache;
    private readonly ChangeNotifier notifier;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stopping = new();
    private readonly SemaphoreSlim wake = new(0, 1);

    /// <summary>One reader of the table or applier of a commit at a time: the tail, the cache and the notifier advance in order.</summary>
    private readonly SemaphoreSlim applying = new(1, 1);
    private readonly Task readLoop;
    private readonly Task listenLoop;
    private long last;
    private int listenerProcessId;

    /// <param name="readers">Pooled connections for reading the table.</param>
    /// <param name="listenerSource">Unpooled connections for LISTEN (a pooled one would carry the subscription to other users).</param>
    public PostgresChangeFeed(NpgsqlDataSource readers, NpgsqlDataSource listenerSource, ChangeTail tail, UserCache cache, ChangeNotifier notifier, long revision, ILogger logger)
    {
        this.readers = readers;
        this.listenerSource = listenerSource;
        this.tail = tail;
        this.cache = cache;
        this.notifier = notifier;
        this.logger = logger;
        last = revision;
        readLoop = Task.Run(ReadLoopAsync);
        listenLoop = Task.Run(ListenLoopAsync);
    }

    /// <summary>The newest revision this replica has read (and published).</summary>
    public long Revision => Volatile.Read(ref last);

    /// <summary>The server process id of the LISTEN connection (0 while it is not connected); for tests that cut it.</summary>
    internal int ListenerProcessId => Volatile.Read(ref listenerProcessId);

    /// <summary>Asks the feed to read the table now (a commit of this replica, a notification).</summary>
    public void Wake()
    {
        try
        {
            wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // A read is already due; it will see this change too.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync();
        await Task.WhenAll(readLoop, listenLoop);
        stopping.Dispose();
        wake.Dispose();
        applying.Dispose();
    }

    /// <summary>
    /// Applies changes this replica's writer just committed (consecutive revisions, drawn under the revision lock),
    /// after reading the changes of other replicas committed before them; returns once they are published.
    /// </summary>
    public async Task ApplyCommittedAsync(IReadOnlyList<UserChange> committed, CancellationToken cancellationToken)
    {
        await applying.WaitAsync(cancellationToken);
        try
        {
            var first = committed[0].Revision;
            if (first > last + 1)
            {
                // Revisions below `first` are final: read what other replicas committed since the last one applied.
                await using var connection = await readers.OpenConnectionAsync(cancellationToken);
                await ReadAsync(connection, first - 1, cancellationToken);
            }

            Apply([.. committed.Where(change => change.Revision > last)]);
        }
        finally
        {
            applying.Release();
        }
    }

    private async Task ReadLoopAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await wake.WaitAsync(SafetyInterval, stopping.Token);
                await CatchUpAsync(stopping.Token);
                backoff = TimeSpan.FromMilliseconds(50);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // The database is unreachable or restarting: try again (the read resumes after the last revision).
                logger.LogWarning(e, "Reading the change log after revision {Revision} failed; retrying in {Backoff}", Revision, backoff);
                await DelayAsync(backoff);
                backoff = Min(backoff * 2, MaxBackoff);
                Wake();
            }
        }
    }

    /// <summary>Reads every change after the last one, page by page, and publishes each page once it is in memory.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        await applying.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await readers.OpenConnectionAsync(cancellationToken);
            await ReadAsync(connection, long.MaxValue, cancellationToken);
        }
        finally
        {
            applying.Release();
        }
    }

    /// <summary>Reads and applies the changes after the last one up to <paramref name="through"/>. Holds <see cref="applying"/>.</summary>
    private async Task ReadAsync(NpgsqlConnection connection, long through, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = await PostgresChangeLog.ReadAsync(connection, last, through, Page, cancellationToken);
            Apply(changes);
            if (changes.Count < Page)
            {
                return;
            }
        }
    }

    /// <summary>Puts changes (ascending, all after the last one) into the tail and the cache, then publishes them. Holds <see cref="applying"/>.</summary>
    private void Apply(List<UserChange> changes)
    {
        if (changes.Count == 0)
        {
            return;
        }

        foreach (var change in changes)
        {
            tail.Add(change);
        }

        cache.BeginCommit();
        cache.EndCommit(tail.Commit());
        Volatile.Write(ref last, changes[^1].Revision);
        notifier.Publish(changes[^1].Revision);
    }

    private async Task ListenLoopAsync()
    {
        var backoff = TimeSpan.FromMilliseconds(50);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = await listenerSource.OpenConnectionAsync(stopping.Token);
                connection.Notification += (_, notification) =>
                {
                    // The payload is a revision; one this replica already has (its own commits) needs no read.
                    if (!long.TryParse(notification.Payload, System.Globalization.CultureInfo.InvariantCulture, out var revision) || revision > Revision)
                    {
                        Wake();
                    }
                };
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresChangeLog.Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping.Token);
                }

                Volatile.Write(ref listenerProcessId, connection.ProcessID);
                backoff = TimeSpan.FromMilliseconds(50);

                // Whatever was committed while no one listened is read now.
                Wake();
                while (true)
                {
                    await connection.WaitAsync(stopping.Token);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Volatile.Write(ref listenerProcessId, 0);
                logger.LogWarning(e, "The change-log listener lost its connection; reconnecting in {Backoff}", backoff);
                await DelayAsync(backoff);
                backoff = Min(backoff * 2, MaxBackoff);
            }
        }
    }

    private async Task DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // stopping; the loop ends
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}
