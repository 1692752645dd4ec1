using Npgsql;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// The change log (<c>user_changes</c>) on PostgreSQL, where writers on many replicas commit concurrently.
/// <para>
/// The rule watchers rely on (<see cref="Changes.ChangeNotifier.Publish"/>): once revision N is visible, every revision
/// below N is final (committed, or never to commit). It is enforced in <see cref="CommitAsync"/>: a write transaction
/// takes the transaction-scoped advisory lock <see cref="RevisionLock"/> as its LAST step, after its user rows are
/// written, then draws its revisions from the sequence, inserts its change rows, notifies, and commits. PostgreSQL
/// releases the lock only after the commit is visible, so the next holder draws higher revisions strictly after every
/// lower one is committed or rolled back: revisions are assigned in commit order across all replicas, and the only gaps
/// are rollbacks. Holding the lock last keeps it short (the change inserts and the commit) and makes deadlocks
/// impossible: its holder waits on nothing else.
/// </para>
/// </summary>
internal static class PostgresChangeLog
{
    /// <summary>The transaction-scoped advisory lock that orders revisions (any fixed key no other lock uses).</summary>
    public const long RevisionLock = 0x7465_7373_6572_6102;

    /// <summary>The NOTIFY channel; the payload is the newest revision only, the table is the truth.</summary>
    public const string Channel = "tessera_user_changes";

    private const string SelectChanges = "SELECT revision, type, snapshot, changed_at FROM user_changes WHERE revision > $1 AND revision <= $2 ORDER BY revision LIMIT $3";

    /// <summary>
    /// The last step of a write transaction, in one round trip: the scope's deferred statements, then, under
    /// <see cref="RevisionLock"/>, the scope's changes with consecutive revisions in order, a notification to every
    /// replica, and COMMIT. (COMMIT is sent as a statement of the batch; Npgsql follows the server's transaction state,
    /// so the transaction object is then complete.) The lock is taken only when the transaction changed a user.
    /// </summary>
    public static async Task CommitAsync(WriteScope scope, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(scope.Connection, scope.Transaction);
        foreach (var statement in scope.Deferred)
        {
            batch.BatchCommands.Add(statement);
        }

        var changes = scope.Changes;
        if (changes.Count > 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT pg_advisory_xact_lock({RevisionLock})"));
            batch.BatchCommands.Add(Append(changes));
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("COMMIT"));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (changes.Count == 0)
        {
            return;
        }

        // Past the deferred statements and the lock to the drawn revisions: the result with the notification.
        while (reader.FieldCount != 2 || reader.GetName(1) != "pg_notify")
        {
            if (!await reader.NextResultAsync(cancellationToken))
            {
                throw new InvalidOperationException("the change log's insert returned no revision");
            }
        }

        await reader.ReadAsync(cancellationToken);
        var last = reader.GetInt64(0);
        for (var i = 0; i < changes.Count; i++)
        {
            changes[i].Revision = last - changes.Count + 1 + i;
        }
    }

    /// <summary>
    /// Draws n revisions (setval is safe: only holders of the revision lock touch the sequence), inserts the rows
    /// numbered in order, and notifies with the last revision, which it returns.
    /// </summary>
    private static NpgsqlBatchCommand Append(IReadOnlyList<PendingChange> changes)
    {
        var types = new short[changes.Count];
        var users = new long[changes.Count];
        var snapshots = new string[changes.Count];
        var times = new long[changes.Count];
        for (var i = 0; i < changes.Count; i++)
        {
            types[i] = (short)changes[i].Type;
            users[i] = changes[i].User.Id;
            snapshots[i] = UserSnapshots.Serialize(changes[i].User);
            times[i] = StoreTime.ToMicros(changes[i].At);
        }

        var insert = new NpgsqlBatchCommand($"""
            WITH drawn AS (SELECT setval('user_changes_revision', nextval('user_changes_revision') + $1 - 1) AS last),
            inserted AS (
                INSERT INTO user_changes (revision, type, user_id, snapshot, changed_at)
                SELECT drawn.last - $1 + c.n, c.type, c.user_id, c.snapshot, c.changed_at
                FROM drawn, unnest($2::smallint[], $3::bigint[], $4::text[], $5::bigint[]) WITH ORDINALITY AS c(type, user_id, snapshot, changed_at, n)
                RETURNING 1)
            SELECT last, pg_notify('{Channel}', last::text) FROM drawn
            """);
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = changes.Count });
        insert.Parameters.Add(new NpgsqlParameter<short[]> { TypedValue = types });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = users });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = snapshots });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = times });
        return insert;
    }

    /// <summary>Up to <paramref name="limit"/> committed changes after <paramref name="afterRevision"/> and up to <paramref name="through"/>, oldest first.</summary>
    public static async Task<List<UserChange>> ReadAsync(NpgsqlConnection connection, long afterRevision, long through, int limit, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(SelectChanges, connection);
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = afterRevision });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = through });
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var changes = new List<UserChange>();
        while (await reader.ReadAsync(cancellationToken))
        {
            changes.Add(new UserChange(
                reader.GetInt64(0),
                (ChangeType)reader.GetInt16(1),
                UserSnapshots.Deserialize(reader.GetString(2)),
                StoreTime.FromMicros(reader.GetInt64(3))));
        }

        return changes;
    }

    /// <summary>The newest committed revision (0 when nothing has changed yet); every revision below it is final.</summary>
    public static async Task<long> ReadRevisionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT COALESCE(MAX(revision), 0) FROM user_changes", connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }
}
