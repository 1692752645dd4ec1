using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using NpgsqlTypes;
using Tessera.Users.Changes;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// The store on a PostgreSQL server that any number of replicas share. Reads use pooled, automatically prepared
/// connections of an <see cref="NpgsqlDataSource"/>, each query cancelled by its call's token (the gRPC deadline).
/// Writes go through this replica's group-commit writer (<see cref="PostgresWriter"/>), which assigns revisions in
/// commit order across replicas (<see cref="PostgresChangeLog"/>); every replica follows the change log with its
/// <see cref="PostgresChangeFeed"/> (LISTEN/NOTIFY plus reading the table), which fills the in-memory
/// <see cref="ChangeTail"/> and <see cref="UserCache"/> and publishes revisions to the <see cref="ChangeNotifier"/>.
/// <para>
/// GetUser answers from the cache when it can. The cache holds what the feed has applied, so on this replica it is
/// exact for this replica's own writes (acknowledged only once applied), while a change made through another
/// replica shows here once the feed reads it: normally within milliseconds of its NOTIFY, at worst
/// <see cref="PostgresChangeFeed.SafetyInterval"/> later, or after a lost listener reconnects.
/// </para>
/// </summary>
public sealed partial class PostgresUserStore : IUserStore, IRefreshTokenStore, IStoreInitializer, IAsyncDisposable, IDisposable
{
    private readonly string connectionString;
    private readonly ChangeNotifier notifier;
    private readonly TimeProvider clock;
    private readonly ILogger logger;
    private readonly UserCache cache = new();

    // Set by InitializeAsync, which opens the database.
    private NpgsqlDataSource? dataSource;
    private NpgsqlDataSource listenerSource = null!;
    private ChangeTail tail = null!;
    private PostgresChangeFeed feed = null!;
    private PostgresWriter writer = null!;
    private PostgresRefreshTokens refreshTokens = null!;

    /// <summary>A store on the database <paramref name="connectionString"/> names; opened by <see cref="InitializeAsync"/>.</summary>
    public PostgresUserStore(string connectionString, ChangeNotifier notifier, TimeProvider clock)
        : this(connectionString, notifier, clock, NullLogger<PostgresUserStore>.Instance)
    {
    }

    public PostgresUserStore(string connectionString, ChangeNotifier notifier, TimeProvider clock, ILogger<PostgresUserStore> logger)
    {
        this.connectionString = connectionString;
        this.notifier = notifier;
        this.clock = clock;
        this.logger = logger;
    }

    /// <summary>The server process id of this replica's LISTEN connection (0 while disconnected); for tests that cut it.</summary>
    internal int ListenerProcessId => feed.ListenerProcessId;

    /// <summary>Opens the data source, migrates, reads the newest revision, and starts the change feed and the writer.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (dataSource is not null)
        {
            throw new InvalidOperationException("the store is already initialized");
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString);
        if (!settings.ContainsKey("Max Auto Prepare"))
        {
            // Every statement here is a fixed text with parameters: prepare them all on first reuse.
            settings.MaxAutoPrepare = 64;
            settings.AutoPrepareMinUsages = 2;
        }

        var source = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            await PostgresSchema.ApplyAsync(source, cancellationToken);
            long revision;
            await using (var connection = await source.OpenConnectionAsync(cancellationToken))
            {
                revision = await PostgresChangeLog.ReadRevisionAsync(connection, cancellationToken);
            }

            notifier.Publish(revision);
            tail = new ChangeTail(revision);
            listenerSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(settings.ConnectionString) { Pooling = false, KeepAlive = 10 }.ConnectionString);
            feed = new PostgresChangeFeed(source, listenerSource, tail, cache, notifier, revision, logger);
            writer = new PostgresWriter(source, feed, notifier, Now, logger);
            refreshTokens = new PostgresRefreshTokens(source, Now);
            dataSource = source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    public async Task<CreateResult> CreateAsync(NewUser user, string? requestId, CancellationToken cancellationToken)
    {
        var result = (await writer.CreateAsync([new BulkCreateItem(user, requestId)], cancellationToken))[0];
        return result.Outcome switch
        {
            BulkItemOutcome.Created => new CreateResult(result.User!, Replayed: false),
            BulkItemOutcome.Replayed => new CreateResult(result.User!, Replayed: true),
            BulkItemOutcome.Conflict => throw new UniqueViolationException(result.ConflictField!),
            _ => throw new RequestIdMismatchException(),
        };
    }

    public Task<IReadOnlyList<BulkItemResult>> CreateManyAsync(IReadOnlyList<BulkCreateItem> items, CancellationToken cancellationToken) =>
        items.Count == 0 ? Task.FromResult<IReadOnlyList<BulkItemResult>>([]) : writer.CreateAsync(items, cancellationToken);

    public async Task<IReadOnlySet<string>> FindUsedRequestIdsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (requestIds.Count == 0)
        {
            return used;
        }

        await using var command = Source.CreateCommand("SELECT request_id FROM create_requests WHERE request_id = ANY($1)");
        command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. requestIds] });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            used.Add(reader.GetString(0));
        }

        return used;
    }

    public async Task<UserRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (cache.TryGet(id, out var cached))
        {
            return cached;
        }

        var readAt = cache.Generation;
        await using var command = Source.CreateCommand($"SELECT {UserColumns.Selected} FROM users WHERE id = $1");
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        var user = PostgresUserRows.ReadUser(reader);
        cache.Fill(user, readAt);
        return user;
    }

    public Task<UserRecord?> UpdateAsync(long id, string? expectedEtag, Func<UserRecord, UserRecord> change, string? newPasswordHash, CancellationToken cancellationToken)
    {
        return writer.WriteAsync(async (scope, token) =>
        {
            if (await FindExpectedAsync(scope, id, expectedEtag, token) is not { } current)
            {
                return null;
            }

            var updated = change(current) with
            {
                Id = current.Id,
                CreatedAt = current.CreatedAt,
                UpdatedAt = Now(),
                Version = current.Version + 1,
            };
            await EnsureAnAdminRemainsAsync(scope, current, updated, token);
            await PostgresUserRows.UpdateAsync(scope.Connection, updated, newPasswordHash, token);
            scope.Append(ChangeType.Updated, updated, updated.UpdatedAt);
            return (UserRecord?)updated;
        }, cancellationToken);
    }

    public Task<UserRecord?> DeleteAsync(long id, string? expectedEtag, CancellationToken cancellationToken)
    {
        return writer.WriteAsync(async (scope, token) =>
        {
            if (await FindExpectedAsync(scope, id, expectedEtag, token) is not { } current)
            {
                return null;
            }

            await EnsureAnAdminRemainsAsync(scope, current, null, token);
            await using var command = new NpgsqlCommand("DELETE FROM users WHERE id = $1", scope.Connection);
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
            await command.ExecuteNonQueryAsync(token);
            scope.Append(ChangeType.Deleted, current, Now());
            return (UserRecord?)current;
        }, cancellationToken);
    }

    public async IAsyncEnumerable<UserRecord> ListAsync(
        FilterExpression? filter,
        UserOrder order,
        UserPosition? after,
        int offset,
        int limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var command = Source.CreateCommand();
        var where = PostgresFilterSql.Translate(filter, command.Parameters);
        var key = UserColumns.SortColumn(order.Field);
        var comparison = order.Descending ? "<" : ">";
        if (after is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = after.Id });
            var afterId = $"${command.Parameters.Count}";
            if (order.Field == UserOrderField.Id)
            {
                where = $"({where}) AND id {comparison} {afterId}";
            }
            else
            {
                command.Parameters.Add(PostgresUserRows.SortParameter(order.Field, after.SortValue));
                where = $"({where}) AND ({key}, id) {comparison} (${command.Parameters.Count}, {afterId})";
            }
        }

        var orderBy = UserColumns.OrderBy(order);
        command.Parameters.Add(new NpgsqlParameter { Value = limit <= 0 ? DBNull.Value : limit, NpgsqlDbType = NpgsqlDbType.Bigint });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Math.Max(0, offset) });
        command.CommandText = $"SELECT {UserColumns.Selected} FROM users WHERE {where} ORDER BY {orderBy} LIMIT ${command.Parameters.Count - 1} OFFSET ${command.Parameters.Count}";
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            // Npgsql reads rows already buffered without looking at the token: a cancelled listing stops at the next row.
            cancellationToken.ThrowIfCancellationRequested();
            yield return PostgresUserRows.ReadUser(reader);
        }
    }

    public async Task<int> CountAsync(FilterExpression? filter, CancellationToken cancellationToken)
    {
        await using var command = Source.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM users WHERE {PostgresFilterSql.Translate(filter, command.Parameters)}";
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyList<UserChange>> ReadChangesAsync(long afterRevision, int limit, CancellationToken cancellationToken)
    {
        if (tail.TryRead(afterRevision, limit, out var recent))
        {
            return recent;
        }

        await using var connection = await Source.OpenConnectionAsync(cancellationToken);
        return await PostgresChangeLog.ReadAsync(connection, afterRevision, long.MaxValue, limit, cancellationToken);
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await Source.OpenConnectionAsync(cancellationToken);
        return await PostgresChangeLog.ReadRevisionAsync(connection, cancellationToken);
    }

    /// <summary>
    /// Takes a transaction id and commits: PostgreSQL writes and flushes a commit record to its WAL, as any write
    /// needs, and nothing changes.
    /// </summary>
    public async Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        await using var command = Source.CreateCommand("SELECT pg_current_xact_id()");
        await command.ExecuteScalarAsync(cancellationToken);
    }

    public async Task<UserRecord?> FindByLoginAsync(string login, CancellationToken cancellationToken)
    {
        await using var command = Source.CreateCommand(
            $"SELECT {UserColumns.Selected} FROM users WHERE username_key = $1 OR email_key = $1 ORDER BY username_key = $1 DESC LIMIT 1");
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = FilterEvaluator.Fold(login) });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? PostgresUserRows.ReadUser(reader) : null;
    }

    public Task IssueAsync(string tokenHash, string familyId, long userId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        refreshTokens.IssueAsync(tokenHash, familyId, userId, expiresAt, cancellationToken);

    public Task<RotateResult> RotateAsync(string tokenHash, string newTokenHash, DateTimeOffset newExpiresAt, CancellationToken cancellationToken) =>
        refreshTokens.RotateAsync(tokenHash, newTokenHash, newExpiresAt, cancellationToken);

    public Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken) =>
        refreshTokens.RevokeFamilyAsync(tokenHash, cancellationToken);

    public Task<int> RevokeAllAsync(long userId, CancellationToken cancellationToken) =>
        refreshTokens.RevokeAllAsync(userId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (dataSource is null)
        {
            return;
        }

        await writer.DisposeAsync();
        await feed.DisposeAsync();
        await listenerSource.DisposeAsync();
        await dataSource.DisposeAsync();
        dataSource = null;
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private NpgsqlDataSource Source => dataSource ?? throw new InvalidOperationException("the store is not initialized (InitializeAsync)");

    private DateTimeOffset Now() => StoreTime.Truncate(clock.GetUtcNow());

    /// <summary>The user, its row locked for the write's transaction; null when there is none.</summary>
    /// <exception cref="EtagMismatchException"><paramref name="expectedEtag"/> was given and is stale.</exception>
    private static async Task<UserRecord?> FindExpectedAsync(WriteScope scope, long id, string? expectedEtag, CancellationToken cancellationToken)
    {
        var current = await PostgresUserRows.FindForUpdateAsync(scope.Connection, id, cancellationToken);
        return current is not null && expectedEtag is not null && expectedEtag != current.Etag
            ? throw new EtagMismatchException(current)
            : current;
    }
}
