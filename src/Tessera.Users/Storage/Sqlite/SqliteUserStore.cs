using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Tessera.Users.Changes;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Writes go through one connection, in transactions that also
/// append to the change log, with group commit (<see cref="GroupCommitWriter"/>: writes that queue up behind a
/// commit share the next one, each in its own savepoint); reads use pooled connections of their own.
/// </summary>
public sealed partial class SqliteUserStore : IUserStore, IStoreInitializer, IDisposable
{
    private const string Columns =
        "id, username, email, full_name, nickname, is_active, roles, metadata, created_at, updated_at, version";

    private readonly string connectionString;
    private readonly UserCache cache = new();
    private readonly ChangeNotifier notifier;
    private readonly TimeProvider clock;

    // Set by InitializeAsync, which opens the database.
    private SqliteConnection writer = null!;
    private GroupCommitWriter groupWriter = null!;
    private ChangeTail tail = null!;
    private PointReaders pointReaders = null!;
    private WriterStatements statements = null!;

    /// <summary>A store on the database file at <paramref name="databasePath"/>; opened by <see cref="InitializeAsync"/>.</summary>
    public SqliteUserStore(string databasePath, ChangeNotifier notifier, TimeProvider clock)
    {
        this.notifier = notifier;
        this.clock = clock;
        connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    /// <summary>Opens the file (WAL, full fsync on commit), migrates it, and starts the single writer.</summary>
    public Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (writer is not null)
        {
            throw new InvalidOperationException("the store is already initialized");
        }

        var connection = new SqliteConnection(connectionString);
        long revision;
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;");
            SqliteSchema.Apply(connection);
            revision = ReadRevision(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }

        notifier.Publish(revision);
        writer = connection;
        tail = new ChangeTail(revision);
        pointReaders = new PointReaders(connectionString, $"SELECT {Columns} FROM users WHERE id = $id");
        statements = new WriterStatements(writer);
        groupWriter = new GroupCommitWriter(writer, statements, tail, cache, notifier.Publish);
        return Task.CompletedTask;
    }

    public async Task<CreateResult> CreateAsync(NewUser user, string? requestId, CancellationToken cancellationToken)
    {
        return await WriteAsync(transaction => CreateOrReplay(transaction, user, requestId, replayOnly: false), cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<BulkItemResult>> CreateManyAsync(IReadOnlyList<BulkCreateItem> items, CancellationToken cancellationToken)
    {
        return await WriteAsync(transaction =>
        {
            var results = new List<BulkItemResult>(items.Count);
            var revision = 0L;
            foreach (var item in items)
            {
                Prepared(transaction, "SAVEPOINT item").ExecuteNonQuery();
                var mark = tail.Mark;
                try
                {
                    var (result, itemRevision) = CreateOrReplay(transaction, item.User, item.RequestId, item.ReplayOnly);
                    Prepared(transaction, "RELEASE item").ExecuteNonQuery();
                    revision = Math.Max(revision, itemRevision);
                    results.Add(result.Replayed
                        ? new BulkItemResult(BulkItemOutcome.Replayed, result.User)
                        : new BulkItemResult(BulkItemOutcome.Created, result.User, Revision: itemRevision));
                }
                catch (Exception e) when (e is UniqueViolationException or RequestIdMismatchException)
                {
                    Prepared(transaction, "ROLLBACK TO item; RELEASE item").ExecuteNonQuery();
                    tail.RollBackTo(mark);
                    results.Add(e is UniqueViolationException clash
                        ? new BulkItemResult(BulkItemOutcome.Conflict, ConflictField: clash.Field)
                        : new BulkItemResult(BulkItemOutcome.RequestIdMismatch));
                }
            }

            return ((IReadOnlyList<BulkItemResult>)results, revision);
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> FindUsedRequestIdsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (requestIds.Count == 0)
        {
            return used;
        }

        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT request_id FROM create_requests WHERE request_id IN (SELECT value FROM json_each($ids))";
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(requestIds));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            used.Add(reader.GetString(0));
        }

        return used;
    }

    public Task<UserRecord?> GetAsync(long id, CancellationToken cancellationToken)
    {
        // From the cache (exact: see UserCache), else SQLite, which answers a point read synchronously (as its async API would).
        cancellationToken.ThrowIfCancellationRequested();
        if (cache.TryGet(id, out var cached))
        {
            return Task.FromResult(cached);
        }

        var readAt = cache.Generation;
        var user = pointReaders.ReadById(id, reader => reader.Read() ? ReadUser(reader) : null);
        if (user is not null)
        {
            cache.Fill(user, readAt);
        }

        return Task.FromResult(user);
    }

    public async Task<UserRecord?> UpdateAsync(long id, string? expectedEtag, Func<UserRecord, UserRecord> change, string? newPasswordHash, CancellationToken cancellationToken)
    {
        return await WriteAsync(transaction =>
        {
            var current = Find(transaction, id);
            if (current is null)
            {
                return ((UserRecord?)null, 0L);
            }

            if (expectedEtag is not null && expectedEtag != current.Etag)
            {
                throw new EtagMismatchException(current);
            }

            var updated = change(current) with
            {
                Id = current.Id,
                CreatedAt = current.CreatedAt,
                UpdatedAt = Now(),
                Version = current.Version + 1,
            };
            EnsureAnAdminRemains(transaction, current, updated);
            Update(transaction, updated, newPasswordHash);
            return (updated, AppendChange(transaction, ChangeType.Updated, updated));
        }, cancellationToken).ConfigureAwait(false);
    }

    public async Task<UserRecord?> DeleteAsync(long id, string? expectedEtag, CancellationToken cancellationToken)
    {
        return await WriteAsync(transaction =>
        {
            var current = Find(transaction, id);
            if (current is null)
            {
                return ((UserRecord?)null, 0L);
            }

            if (expectedEtag is not null && expectedEtag != current.Etag)
            {
                throw new EtagMismatchException(current);
            }

            EnsureAnAdminRemains(transaction, current, null);
            using var command = Command(transaction, "DELETE FROM users WHERE id = $id");
            command.Parameters.AddWithValue("$id", id);
            command.ExecuteNonQuery();
            return (current, AppendChange(transaction, ChangeType.Deleted, current));
        }, cancellationToken).ConfigureAwait(false);
    }

    public async IAsyncEnumerable<UserRecord> ListAsync(
        FilterExpression? filter,
        UserOrder order,
        UserPosition? after,
        int offset,
        int limit,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        var where = SqliteFilterSql.Translate(filter, command);
        var key = SortColumn(order.Field);
        if (after is not null)
        {
            var comparison = order.Descending ? "<" : ">";
            command.Parameters.AddWithValue("$after_value", SortParameter(order.Field, after.SortValue));
            command.Parameters.AddWithValue("$after_id", after.Id);
            where = order.Field == UserOrderField.Id
                ? $"({where}) AND id {comparison} $after_id"
                : $"({where}) AND ({key} {comparison} $after_value OR ({key} = $after_value AND id {comparison} $after_id))";
        }

        var direction = order.Descending ? "DESC" : "ASC";
        var orderBy = order.Field == UserOrderField.Id ? $"id {direction}" : $"{key} {direction}, id {direction}";
        command.CommandText = $"SELECT {Columns} FROM users WHERE {where} ORDER BY {orderBy} LIMIT $limit OFFSET $offset";
        command.Parameters.AddWithValue("$limit", limit <= 0 ? -1 : limit);
        command.Parameters.AddWithValue("$offset", Math.Max(0, offset));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return ReadUser(reader);
        }
    }

    public async Task<int> CountAsync(FilterExpression? filter, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM users WHERE {SqliteFilterSql.Translate(filter, command)}";
        var count = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
        return Convert.ToInt32(count, System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task<IReadOnlyList<UserChange>> ReadChangesAsync(long afterRevision, int limit, CancellationToken cancellationToken)
    {
        if (tail.TryRead(afterRevision, limit, out var recent))
        {
            return recent;
        }

        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT revision, type, snapshot, changed_at FROM user_changes WHERE revision > $after ORDER BY revision LIMIT $limit";
        command.Parameters.AddWithValue("$after", afterRevision);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var changes = new List<UserChange>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            changes.Add(new UserChange(
                reader.GetInt64(0),
                (ChangeType)reader.GetInt32(1),
                UserSnapshots.Deserialize(reader.GetString(2)),
                StoreTime.FromMicros(reader.GetInt64(3))));
        }

        return changes;
    }

    public async Task<long> GetRevisionAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        return ReadRevision(connection);
    }

    public async Task<UserRecord?> FindByLoginAsync(string login, CancellationToken cancellationToken)
    {
        await using var connection = await OpenReaderAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM users WHERE username_key = $key OR email_key = $key ORDER BY username_key = $key DESC LIMIT 1";
        command.Parameters.AddWithValue("$key", FilterEvaluator.Fold(login));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? ReadUser(reader) : null;
    }

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
    }

    /// <summary>Runs one write in the next group commit; publishes its revision, and returns, once that is committed.</summary>
    private Task<T> WriteAsync<T>(Func<SqliteTransaction, (T Result, long Revision)> work, CancellationToken cancellationToken) =>
        groupWriter.WriteAsync(work, cancellationToken);

    private async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private DateTimeOffset Now() => StoreTime.Truncate(clock.GetUtcNow());

    /// <summary>
    /// A create as the idempotency log sees it, for CreateUser and every item of a bulk create alike: a used request
    /// id replays its first result (same username and email) or is rejected; otherwise the user is inserted, its
    /// change appended and the request id recorded, all in <paramref name="transaction"/>.
    /// </summary>
    /// <exception cref="UniqueViolationException">username or email is taken.</exception>
    /// <exception cref="RequestIdMismatchException">the request id was used for a different user.</exception>
    private (CreateResult Result, long Revision) CreateOrReplay(SqliteTransaction transaction, NewUser user, string? requestId, bool replayOnly)
    {
        if (requestId is not null && FindRequest(transaction, requestId) is { } earlier)
        {
            if (!string.Equals(earlier.Username, user.Username, StringComparison.OrdinalIgnoreCase)
                || !string.Equals(earlier.Email, user.Email, StringComparison.OrdinalIgnoreCase))
            {
                throw new RequestIdMismatchException();
            }

            return (new CreateResult(earlier, Replayed: true), 0L);
        }

        if (replayOnly)
        {
            // The caller skipped hashing the password because this request id was used; the log is never pruned.
            throw new InvalidOperationException($"request id '{requestId}' was reported used but is not in the log");
        }

        var created = Insert(transaction, user);
        var revision = AppendChange(transaction, ChangeType.Created, created);
        if (requestId is not null)
        {
            RecordRequest(transaction, requestId, created);
        }

        return (new CreateResult(created, Replayed: false), revision);
    }

    private UserRecord Insert(SqliteTransaction transaction, NewUser user)
    {
        var now = Now();
        var command = Prepared(transaction, """
            INSERT INTO users (username, username_key, email, email_key, full_name, full_name_key, nickname, nickname_key, is_active, roles, metadata, password_hash, created_at, updated_at, version)
            VALUES ($username, $username_key, $email, $email_key, $full_name, $full_name_key, $nickname, $nickname_key, $is_active, $roles, $metadata, $password_hash, $now, $now, 1)
            RETURNING id
            """);
        BindFields(command, user.Username, user.Email, user.FullName, user.Nickname, user.IsActive, user.Roles, user.Metadata);
        command.Parameters.AddWithValue("$password_hash", (object?)user.PasswordHash ?? DBNull.Value);
        command.Parameters.AddWithValue("$now", StoreTime.ToMicros(now));
        var id = (long)ExecuteUnique(command, user.Username, 0, c => c.ExecuteScalar())!;
        return new UserRecord(id, user.Username, user.Email, user.FullName, user.IsActive, user.Roles, user.Metadata, user.Nickname, now, now, 1);
    }

    private static void Update(SqliteTransaction transaction, UserRecord user, string? newPasswordHash)
    {
        using var command = Command(transaction, $"""
            UPDATE users SET username = $username, username_key = $username_key, email = $email, email_key = $email_key,
                full_name = $full_name, full_name_key = $full_name_key, nickname = $nickname, nickname_key = $nickname_key, is_active = $is_active, roles = $roles, metadata = $metadata,
                updated_at = $updated_at, version = $version{(newPasswordHash is null ? "" : ", password_hash = $password_hash")},
                security_stamp = security_stamp + {SecurityStampBump(newPasswordHash is not null)}
            WHERE id = $id
            """);
        BindFields(command, user.Username, user.Email, user.FullName, user.Nickname, user.IsActive, user.Roles, user.Metadata);
        command.Parameters.AddWithValue("$updated_at", StoreTime.ToMicros(user.UpdatedAt));
        command.Parameters.AddWithValue("$version", user.Version);
        command.Parameters.AddWithValue("$id", user.Id);
        if (newPasswordHash is not null)
        {
            command.Parameters.AddWithValue("$password_hash", newPasswordHash);
        }

        ExecuteUnique(command, user.Username, user.Id, c => c.ExecuteNonQuery());
    }

    private static void BindFields(
        SqliteCommand command,
        string username,
        string email,
        string fullName,
        string? nickname,
        bool isActive,
        IReadOnlyList<string> roles,
        IReadOnlyDictionary<string, string> metadata)
    {
        command.Parameters.AddWithValue("$username", username);
        command.Parameters.AddWithValue("$username_key", FilterEvaluator.Fold(username));
        command.Parameters.AddWithValue("$email", email);
        command.Parameters.AddWithValue("$email_key", FilterEvaluator.Fold(email));
        command.Parameters.AddWithValue("$full_name", fullName);
        command.Parameters.AddWithValue("$full_name_key", FilterEvaluator.Fold(fullName));
        command.Parameters.AddWithValue("$nickname", (object?)nickname ?? DBNull.Value);
        command.Parameters.AddWithValue("$nickname_key", FilterEvaluator.Fold(nickname ?? ""));
        command.Parameters.AddWithValue("$is_active", isActive ? 1 : 0);
        command.Parameters.AddWithValue("$roles", JsonSerializer.Serialize(roles));
        command.Parameters.AddWithValue("$metadata", JsonSerializer.Serialize(metadata));
    }

    /// <summary>
    /// Runs a statement and turns a unique-index violation into the field that clashed; when both username and
    /// email clash, the username is named (SQLite reports whichever index it checked first).
    /// </summary>
    private static T ExecuteUnique<T>(SqliteCommand command, string username, long selfId, Func<SqliteCommand, T> run)
    {
        try
        {
            return run(command);
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19 && e.Message.Contains("UNIQUE", StringComparison.Ordinal))
        {
            using var check = command.Connection!.CreateCommand();
            check.Transaction = command.Transaction;
            check.CommandText = "SELECT EXISTS (SELECT 1 FROM users WHERE username_key = $key AND id <> $self)";
            check.Parameters.AddWithValue("$key", FilterEvaluator.Fold(username));
            check.Parameters.AddWithValue("$self", selfId);
            throw new UniqueViolationException((long)check.ExecuteScalar()! == 1 ? "username" : "email");
        }
    }

    private static UserRecord? Find(SqliteTransaction transaction, long id)
    {
        using var command = Command(transaction, $"SELECT {Columns} FROM users WHERE id = $id");
        command.Parameters.AddWithValue("$id", id);
        using var reader = command.ExecuteReader();
        return reader.Read() ? ReadUser(reader) : null;
    }

    private UserRecord? FindRequest(SqliteTransaction transaction, string requestId)
    {
        var command = Prepared(transaction, "SELECT snapshot FROM create_requests WHERE request_id = $id");
        command.Parameters.AddWithValue("$id", requestId);
        return command.ExecuteScalar() is string snapshot ? UserSnapshots.Deserialize(snapshot) : null;
    }

    private void RecordRequest(SqliteTransaction transaction, string requestId, UserRecord user)
    {
        var command = Prepared(transaction, "INSERT INTO create_requests (request_id, user_id, snapshot, created_at) VALUES ($id, $user_id, $snapshot, $at)");
        command.Parameters.AddWithValue("$id", requestId);
        command.Parameters.AddWithValue("$user_id", user.Id);
        command.Parameters.AddWithValue("$snapshot", UserSnapshots.Serialize(user));
        command.Parameters.AddWithValue("$at", StoreTime.ToMicros(Now()));
        command.ExecuteNonQuery();
    }

    private long AppendChange(SqliteTransaction transaction, ChangeType type, UserRecord user)
    {
        var command = Prepared(transaction, "INSERT INTO user_changes (type, user_id, snapshot, changed_at) VALUES ($type, $user_id, $snapshot, $at) RETURNING revision");
        command.Parameters.AddWithValue("$type", (int)type);
        command.Parameters.AddWithValue("$user_id", user.Id);
        command.Parameters.AddWithValue("$snapshot", UserSnapshots.Serialize(user));
        var at = type == ChangeType.Deleted ? Now() : user.UpdatedAt;
        command.Parameters.AddWithValue("$at", StoreTime.ToMicros(at));
        var revision = (long)command.ExecuteScalar()!;
        tail.Add(new UserChange(revision, type, user, at));
        return revision;
    }

    private static long ReadRevision(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(revision), 0) FROM user_changes";
        return (long)command.ExecuteScalar()!;
    }

    private static UserRecord ReadUser(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        reader.GetString(1),
        reader.GetString(2),
        reader.GetString(3),
        reader.GetInt64(5) != 0,
        ReadRoles(reader.GetString(6)),
        ReadMetadata(reader.GetString(7)),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        StoreTime.FromMicros(reader.GetInt64(8)),
        StoreTime.FromMicros(reader.GetInt64(9)),
        reader.GetInt64(10));

    /// <summary>Most users have no roles and no metadata; those skip the JSON parser.</summary>
    private static string[] ReadRoles(string json) => json == "[]" ? [] : JsonSerializer.Deserialize<string[]>(json) ?? [];

    private static Dictionary<string, string> ReadMetadata(string json) =>
        json == "{}" ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];

    private static string SortColumn(UserOrderField field) => field switch
    {
        UserOrderField.Username => "username_key",
        UserOrderField.Email => "email_key",
        UserOrderField.CreatedAt => "created_at",
        _ => "id",
    };

    private static object SortParameter(UserOrderField field, string value) => field switch
    {
        UserOrderField.CreatedAt or UserOrderField.Id => long.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
        _ => value,
    };

    private SqliteCommand Prepared(SqliteTransaction transaction, string sql) => statements.Get(transaction, sql);

    private static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteTransaction transaction, string sql)
    {
        using var command = Command(transaction, sql);
        command.ExecuteNonQuery();
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
