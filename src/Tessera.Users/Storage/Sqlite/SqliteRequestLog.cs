using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The idempotency log (<c>create_requests</c>): the first result of every create that carried a request id, written
/// in the create's own transaction, so a retry finds it exactly when the create committed. Never pruned.
/// </summary>
internal sealed class SqliteRequestLog(SqliteDatabase database, WriterStatements statements)
{
    /// <summary>The user a request id created, or null when the id is unused.</summary>
    public UserRecord? Find(string requestId) =>
        statements.Raw("SELECT snapshot FROM create_requests WHERE request_id = ?1").Bind(1, requestId).ExecuteText() is { } snapshot
            ? UserSnapshots.Deserialize(snapshot)
            : null;

    /// <summary>The first results of those of <paramref name="requestIds"/> that the log holds, read in <paramref name="transaction"/>.</summary>
    public Dictionary<string, UserRecord> FindMany(SqliteTransaction transaction, IEnumerable<string> requestIds)
    {
        var found = new Dictionary<string, UserRecord>(StringComparer.Ordinal);
        var wanted = requestIds.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return found;
        }

        var command = statements.Get(transaction, "SELECT request_id, snapshot FROM create_requests WHERE request_id IN (SELECT value FROM json_each($ids))");
        command.Parameters.AddWithValue("$ids", JsonSerializer.Serialize(wanted));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            found[reader.GetString(0)] = UserSnapshots.Deserialize(reader.GetString(1));
        }

        return found;
    }

    public void Record(string requestId, UserRecord user, DateTimeOffset at) =>
        statements.Raw("INSERT INTO create_requests (request_id, user_id, snapshot, created_at) VALUES (?1, ?2, ?3, ?4)")
            .Bind(1, requestId).Bind(2, user.Id).Bind(3, UserSnapshots.Serialize(user)).Bind(4, StoreTime.ToMicros(at))
            .Execute();

    public async Task<IReadOnlySet<string>> FindUsedAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        if (requestIds.Count == 0)
        {
            return used;
        }

        await using var connection = await database.OpenReaderAsync(cancellationToken).ConfigureAwait(false);
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
}
