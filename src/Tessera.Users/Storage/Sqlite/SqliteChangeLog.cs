using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The change log (<c>user_changes</c>): every write appends the user as it now is (as it was, for a delete) in the
/// write's own transaction, and the revision it gets is what watchers resume from.
/// <para>
/// The rule watchers rely on (<see cref="Changes.ChangeNotifier.Publish"/>): once revision N is visible, every revision
/// below N is final. SQLite gives it for free: one writer connection assigns revisions (AUTOINCREMENT) and commits
/// them in the same order, so no lower revision can commit after a higher one.
/// </para>
/// Recent changes are also kept in memory (<see cref="ChangeTail"/>) so that following the log costs no query.
/// </summary>
internal sealed class SqliteChangeLog(SqliteDatabase database, WriterStatements statements, ChangeTail tail)
{
    public ChangeTail Tail => tail;

    /// <summary>Writer only: appends one change in <paramref name="transaction"/>; returns its revision.</summary>
    public long Append(ChangeType type, UserRecord user, DateTimeOffset at)
    {
        var revision = statements.Raw("INSERT INTO user_changes (type, user_id, snapshot, changed_at) VALUES (?1, ?2, ?3, ?4) RETURNING revision")
            .Bind(1, (int)type).Bind(2, user.Id).Bind(3, UserSnapshots.Serialize(user)).Bind(4, StoreTime.ToMicros(at))
            .Execute()!.Value;
        tail.Add(new UserChange(revision, type, user, at));
        return revision;
    }

    /// <summary>Up to <paramref name="limit"/> changes after <paramref name="afterRevision"/>, from memory when recent enough.</summary>
    public async Task<IReadOnlyList<UserChange>> ReadAsync(long afterRevision, int limit, CancellationToken cancellationToken)
    {
        if (tail.TryRead(afterRevision, limit, out var recent))
        {
            return recent;
        }

        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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

    public static long ReadRevision(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(revision), 0) FROM user_changes";
        return (long)command.ExecuteScalar()!;
    }
}
