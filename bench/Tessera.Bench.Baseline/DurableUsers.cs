using System.Text.Json;
using System.Text.Json.Serialization;
using Google.Protobuf.WellKnownTypes;
using Microsoft.Data.Sqlite;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>
/// The platform's own ceiling for Tessera's durable work on SQLite: the rows Tessera's store writes for a created user
/// (a <c>users</c> row with its three indexes and a <c>user_changes</c> row holding the user as JSON, both tables as
/// Tessera declares them), WAL with a full fsync at every commit (as Tessera's store), and one writer thread that
/// commits whatever queued while it was busy in one transaction (group commit); and a list read back from that table.
/// No validation, no savepoints, no cache, no watch, no request log: every cost above this is Tessera's.
/// </summary>
public sealed partial class DurableUsers : IDisposable
{
    private readonly string connectionString;
    private readonly SqliteConnection connection;
    private readonly SqliteCommand insert;
    private readonly SqliteCommand change;
    private readonly object gate = new();
    private readonly Thread writer;
    private List<Write> queue = [];
    private List<Write> group = [];
    private bool closed;

    public DurableUsers(string path)
    {
        connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        connection = new SqliteConnection(connectionString);
        connection.Open();
        using (var setup = connection.CreateCommand())
        {
            setup.CommandText = """
                PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;
                CREATE TABLE IF NOT EXISTS users (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL, username_key TEXT NOT NULL, email TEXT NOT NULL,
                    email_key TEXT NOT NULL, full_name TEXT NOT NULL, full_name_key TEXT NOT NULL, nickname TEXT NULL,
                    nickname_key TEXT NOT NULL, is_active INTEGER NOT NULL, roles TEXT NOT NULL, metadata TEXT NOT NULL,
                    password_hash TEXT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL, version INTEGER NOT NULL);
                CREATE UNIQUE INDEX IF NOT EXISTS users_username_key ON users (username_key);
                CREATE UNIQUE INDEX IF NOT EXISTS users_email_key ON users (email_key);
                CREATE INDEX IF NOT EXISTS users_created_at ON users (created_at, id);
                CREATE TABLE IF NOT EXISTS user_changes (
                    revision INTEGER PRIMARY KEY AUTOINCREMENT, type INTEGER NOT NULL, user_id INTEGER NOT NULL,
                    snapshot TEXT NOT NULL, changed_at INTEGER NOT NULL);
                """;
            setup.ExecuteNonQuery();
        }

        insert = Prepare("""
            INSERT INTO users (username, username_key, email, email_key, full_name, full_name_key, nickname_key, is_active, roles, metadata, created_at, updated_at, version)
            VALUES ($username, lower($username), $email, lower($email), $full_name, lower($full_name), '', 1, '[]', '{}', $now, $now, 1) RETURNING id
            """, ("$username", SqliteType.Text), ("$email", SqliteType.Text), ("$full_name", SqliteType.Text), ("$now", SqliteType.Integer));
        change = Prepare(
            "INSERT INTO user_changes (type, user_id, snapshot, changed_at) VALUES (1, $user_id, $snapshot, $now)",
            ("$user_id", SqliteType.Integer), ("$snapshot", SqliteType.Text), ("$now", SqliteType.Integer));
        writer = new Thread(Run) { IsBackground = true, Name = "baseline writer" };
        writer.Start();
    }

    /// <summary>
    /// Inserts the users in one write; completes once the commit that holds them is durable, with each one's id (-1 for
    /// a username or email that was taken: that insert alone is undone, as SQLite undoes a failed statement).
    /// </summary>
    public Task<long[]> CreateAsync(IReadOnlyList<CreateUserRequest> requests)
    {
        var write = new Write(requests);
        lock (gate)
        {
            queue.Add(write);
            Monitor.Pulse(gate);
        }

        return write.Done.Task;
    }

    /// <summary>Every user, in id order, read from the table on a connection of its own.</summary>
    public IEnumerable<User> ReadAll()
    {
        using var reader = new SqliteConnection(connectionString);
        reader.Open();
        using var select = reader.CreateCommand();
        select.CommandText = "SELECT id, username, email, full_name, nickname, is_active, created_at, updated_at, version FROM users ORDER BY id";
        using var rows = select.ExecuteReader();
        while (rows.Read())
        {
            yield return new User
            {
                Id = rows.GetInt64(0),
                Username = rows.GetString(1),
                Email = rows.GetString(2),
                FullName = rows.GetString(3),
                Nickname = rows.IsDBNull(4) ? "" : rows.GetString(4),
                IsActive = rows.GetInt64(5) != 0,
                CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(6) / 1000)),
                UpdatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.FromUnixTimeMilliseconds(rows.GetInt64(7) / 1000)),
                Etag = $"v{rows.GetInt64(8)}",
            };
        }
    }

    public void Dispose()
    {
        lock (gate)
        {
            closed = true;
            Monitor.Pulse(gate);
        }

        writer.Join();
        connection.Dispose();
    }

    private SqliteCommand Prepare(string sql, params (string Name, SqliteType Type)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, type) in parameters)
        {
            command.Parameters.Add(name, type);
        }

        command.Prepare();
        return command;
    }

    private void Run()
    {
        while (true)
        {
            lock (gate)
            {
                while (queue.Count == 0 && !closed)
                {
                    Monitor.Wait(gate);
                }

                if (queue.Count == 0)
                {
                    return;
                }

                (queue, group) = (group, queue);
            }

            using (var transaction = connection.BeginTransaction())
            {
                insert.Transaction = transaction;
                change.Transaction = transaction;
                foreach (var write in group)
                {
                    for (var i = 0; i < write.Requests.Count; i++)
                    {
                        write.Ids[i] = Insert(write.Requests[i]);
                    }
                }

                transaction.Commit();
            }

            foreach (var write in group)
            {
                write.Done.TrySetResult(write.Ids);
            }

            group.Clear();
        }
    }

    private long Insert(CreateUserRequest request)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
        insert.Parameters[0].Value = request.Username;
        insert.Parameters[1].Value = request.Email;
        insert.Parameters[2].Value = request.FullName;
        insert.Parameters[3].Value = now;
        long id;
        try
        {
            id = (long)insert.ExecuteScalar()!;
        }
        catch (SqliteException e) when (e.SqliteErrorCode == 19)
        {
            return -1;
        }

        change.Parameters[0].Value = id;
        change.Parameters[1].Value = JsonSerializer.Serialize(new Snapshot(id, request.Username, request.Email, request.FullName, now), SnapshotJson.Default.Snapshot);
        change.Parameters[2].Value = now;
        change.ExecuteNonQuery();
        return id;
    }

    private sealed class Write(IReadOnlyList<CreateUserRequest> requests)
    {
        public IReadOnlyList<CreateUserRequest> Requests { get; } = requests;

        public long[] Ids { get; } = new long[requests.Count];

        public TaskCompletionSource<long[]> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record Snapshot(long Id, string Username, string Email, string FullName, long CreatedAt);

    [JsonSerializable(typeof(Snapshot))]
    private sealed partial class SnapshotJson : JsonSerializerContext;
}
