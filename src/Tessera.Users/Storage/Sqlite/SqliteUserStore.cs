using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Tessera.Users.Changes;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode (<see cref="SqliteDatabase"/>). Writes go through one connection,
/// in transactions that also append to the change log (<see cref="SqliteChangeLog"/>) and the idempotency log
/// (<see cref="SqliteRequestLog"/>), with group commit (<see cref="GroupCommitWriter"/>: writes that queue up behind a
/// commit share the next one, each in its own savepoint); reads use pooled connections of their own, and GetUser the
/// in-memory <see cref="UserCache"/>. The user rows' SQL is in <see cref="SqliteUserRows"/>, refresh tokens in
/// <see cref="SqliteRefreshTokens"/>.
/// </summary>
public sealed partial class SqliteUserStore : IUserStore, IRefreshTokenStore, IStoreInitializer, IDisposable
{
    /// <summary>The free space the write probe wants beside the database: more than a write needs, less than any working disk has.</summary>
    private const long ProbeFreeBytes = 1 << 20;

    private readonly string databasePath;
    private readonly SqliteDatabase database;
    private readonly UserCache cache = new();
    private readonly ChangeNotifier notifier;
    private readonly TimeProvider clock;

    // Set by InitializeAsync, which opens the database.
    private SqliteConnection? writer;
    private WriterStatements statements = null!;
    private GroupCommitWriter groupWriter = null!;
    private SqliteChangeLog changes = null!;
    private SqliteRequestLog requests = null!;
    private SqliteRefreshTokens refreshTokens = null!;
    private PointReaders pointReaders = null!;

    /// <summary>A store on the database file at <paramref name="databasePath"/>; opened by <see cref="InitializeAsync"/>.</summary>
    public SqliteUserStore(string databasePath, ChangeNotifier notifier, TimeProvider clock)
    {
        this.databasePath = databasePath;
        database = new SqliteDatabase(databasePath);
        this.notifier = notifier;
        this.clock = clock;
    }

    /// <summary>Opens the file, migrates it, and starts the single writer.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (writer is not null)
        {
            throw new InvalidOperationException("the store is already initialized");
        }

        var connection = database.OpenWriter();
        long revision;
        try
        {
            revision = SqliteChangeLog.ReadRevision(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        notifier.Publish(revision);
        var tail = new ChangeTail(revision);
        statements = new WriterStatements(connection);
        changes = new SqliteChangeLog(database, statements, tail);
        requests = new SqliteRequestLog(database, statements);
        groupWriter = new GroupCommitWriter(connection, statements, tail, cache, notifier.Publish);
        refreshTokens = new SqliteRefreshTokens(groupWriter, Now);
        pointReaders = new PointReaders(database.ConnectionString, $"SELECT {UserColumns.Selected} FROM users WHERE id = $id");
        writer = connection;
        return Task.CompletedTask;
    }

    public Task<CreateResult> CreateAsync(NewUser user, string? requestId, CancellationToken cancellationToken) =>
        groupWriter.WriteAsync(_ => CreateOrReplay(user, requestId), cancellationToken);

    public Task<IReadOnlySet<string>> FindUsedRequestIdsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken) =>
        requests.FindUsedAsync(requestIds, cancellationToken);

    public Task<UserRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        // From the cache (exact: see UserCache), else SQLite, which answers a point read synchronously (as its async API would).
        cancellationToken.ThrowIfCancellationRequested();
        if (cache.TryGet(id, out var cached))
        {
            return Task.FromResult(cached);
        }

        var readAt = cache.Generation;
        var user = pointReaders.ReadById(id, reader => reader.Read() ? SqliteUserRows.ReadUser(reader) : null);
        if (user is not null)
        {
            cache.Fill(user, readAt);
        }

        return Task.FromResult(user);
    }

    public Task<UserRecord?> UpdateAsync(long id, string? expectedEtag, Func<UserRecord, UserRecord> change, string? newPasswordHash, CancellationToken cancellationToken)
    {
        return groupWriter.WriteAsync(transaction =>
        {
            if (FindExpected(transaction, id, expectedEtag) is not { } current)
            {
                return ((UserRecord?)null, 0L);
            }

            var updated = change(current) with
            {
                Id = current.Id,
                CreatedAt = current.CreatedAt,
                UpdatedAt = Now(),
                Version = current.Version + 1,
            };
            EnsureAnAdminRemains(transaction, current, updated);
            SqliteUserRows.Update(statements, transaction, updated, newPasswordHash);
            return (updated, changes.Append(ChangeType.Updated, updated, updated.UpdatedAt));
        }, cancellationToken);
    }

    public Task<UserRecord?> DeleteAsync(long id, string? expectedEtag, CancellationToken cancellationToken)
    {
        return groupWriter.WriteAsync(transaction =>
        {
            if (FindExpected(transaction, id, expectedEtag) is not { } current)
            {
                return ((UserRecord?)null, 0L);
            }

            EnsureAnAdminRemains(transaction, current, null);
            SqliteUserRows.Delete(transaction, id);
            return (current, changes.Append(ChangeType.Deleted, current, Now()));
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
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = SqliteFilterSql.Translate(filter, command);
        var key = UserColumns.SortColumn(order.Field);
        if (after is not null)
        {
            var comparison = order.Descending ? "<" : ">";
            command.Parameters.AddWithValue("$after_value", SqliteUserRows.SortParameter(order.Field, after.SortValue));
            command.Parameters.AddWithValue("$after_id", after.Id);
            where = order.Field == UserOrderField.Id
                ? $"({where}) AND id {comparison} $after_id"
                : $"({where}) AND ({key} {comparison} $after_value OR ({key} = $after_value AND id {comparison} $after_id))";
        }

        var orderBy = UserColumns.OrderBy(order);
        command.CommandText = $"SELECT {UserColumns.Selected} FROM users WHERE {where} ORDER BY {orderBy} LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", limit <= 0 ? -1 : limit);
        command.Parameters.AddWithValue("$offset", Math.Max(0, offset));

        // Rows are read straight from SQLite (SqliteDataReader's checks per column were half of a listed user's cost).
        using var rows = new RawStatement(connection, command.CommandText).Bind(command.Parameters);
        while (rows.Step())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return SqliteUserRows.ReadUser(rows);
        }
    }

    public async Task<int> CountAsync(FilterExpression? filter, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM users WHERE {SqliteFilterSql.Translate(filter, command)}";
        var count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<IReadOnlyList<UserChange>> ReadChangesAsync(long afterRevision, int limit, CancellationToken cancellationToken) =>
        changes.ReadAsync(afterRevision, limit, cancellationToken);

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return SqliteChangeLog.ReadRevision(connection);
    }

    /// <summary>
    /// First the free space beside the database: at least <see cref="ProbeFreeBytes"/>, else SQLITE_FULL (a page can
    /// still fit into the write-ahead log's slack on a disk too full for a real write). Then it rewrites the database
    /// header's user_version with its own value, through the group-commit writer: a page in the write-ahead log and a
    /// synced commit, as any write needs, and nothing changed.
    /// </summary>
    public Task ProbeWriteAsync(CancellationToken cancellationToken)
    {
        var free = new DriveInfo(Path.GetDirectoryName(Path.GetFullPath(databasePath))!).AvailableFreeSpace;
        if (free < ProbeFreeBytes)
        {
            throw new SqliteException($"SQLite Error 13: 'database or disk is full' ({free:N0} bytes free beside {databasePath}).", SQLitePCL.raw.SQLITE_FULL);
        }

        return groupWriter.WriteAsync(transaction =>
        {
            using var command = transaction.Connection!.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "PRAGMA user_version";
            var version = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            command.CommandText = $"PRAGMA user_version = {version}";
            command.ExecuteNonQuery();
            return (true, 0L);
        }, cancellationToken);
    }

    public async Task<UserRecord?> FindByLoginAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {UserColumns.Selected} FROM users WHERE username_key = $key OR email_key = $key ORDER BY username_key = $key DESC LIMIT 1";
        command.Parameters.AddWithValue("$key", FilterEvaluator.Fold(login));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? SqliteUserRows.ReadUser(reader) : null;
    }

    public Task IssueAsync(string tokenHash, string familyId, long userId, DateTimeOffset expiresAt, CancellationToken cancellationToken) =>
        refreshTokens.IssueAsync(tokenHash, familyId, userId, expiresAt, cancellationToken);

    public Task<RotateResult> RotateAsync(string tokenHash, string newTokenHash, DateTimeOffset newExpiresAt, CancellationToken cancellationToken) =>
        refreshTokens.RotateAsync(tokenHash, newTokenHash, newExpiresAt, cancellationToken);

    public Task<bool> RevokeFamilyAsync(string tokenHash, CancellationToken cancellationToken) =>
        refreshTokens.RevokeFamilyAsync(tokenHash, cancellationToken);

    public Task<int> RevokeAllAsync(long userId, CancellationToken cancellationToken) =>
        refreshTokens.RevokeAllAsync(userId, cancellationToken);

    public void Dispose()
    {
        if (writer is null)
        {
            return;
        }

        groupWriter.Dispose();
        pointReaders.Dispose();
        statements.Dispose();
        writer.Dispose();
        writer = null;
    }

    private DateTimeOffset Now() => StoreTime.Truncate(clock.GetUtcNow());

    /// <summary>The user, read in the write's transaction; null when there is none.</summary>
    /// <exception cref="EtagMismatchException"><paramref name="expectedEtag"/> was given and is stale.</exception>
    private static UserRecord? FindExpected(SqliteTransaction transaction, long id, string? expectedEtag)
    {
        var current = SqliteUserRows.Find(transaction, id);
        return current is not null && expectedEtag is not null && expectedEtag != current.Etag
            ? throw new EtagMismatchException(current)
            : current;
    }

    /// <summary>
    /// CreateUser as the idempotency log sees it (bulk creates decide the same way, see <see cref="CreateMany"/>): a used
    /// request id replays its first result (same username and email) or is rejected; otherwise the user is inserted,
    /// its change appended and the request id recorded, all in the write's transaction.
    /// </summary>
    /// <exception cref="UniqueViolationException">username or email is taken.</exception>
    /// <exception cref="RequestIdMismatchException">the request id was used for a different user.</exception>
    private (CreateResult Result, long Revision) CreateOrReplay(NewUser user, string? requestId)
    {
        if (requestId is not null && requests.Find(requestId) is { } earlier)
        {
            return SameNames(earlier, user) ? (new CreateResult(earlier, Replayed: true), 0L) : throw new RequestIdMismatchException();
        }

        var (created, revision) = Insert(user, FilterEvaluator.Fold(user.Username), FilterEvaluator.Fold(user.Email), requestId, Now());
        return (new CreateResult(created, Replayed: false), revision);
    }

    /// <summary>Inserts the user, appends its change and records its request id; returns it and its revision.</summary>
    /// <exception cref="UniqueViolationException">username or email is taken.</exception>
    private (UserRecord User, long Revision) Insert(NewUser user, string usernameKey, string emailKey, string? requestId, DateTimeOffset now)
    {
        var created = SqliteUserRows.Insert(statements, user, usernameKey, emailKey, now);
        var revision = changes.Append(ChangeType.Created, created, now);
        if (requestId is not null)
        {
            requests.Record(requestId, created, now);
        }

        return (created, revision);
    }
}
