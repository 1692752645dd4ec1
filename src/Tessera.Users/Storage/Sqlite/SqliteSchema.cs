using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// Versioned schema migrations for the SQLite store, applied in order at start, each in its own transaction.
/// Text that filters compare case-insensitively is also stored folded (<c>*_key</c>, lower-cased invariantly in
/// C#), because SQLite's own NOCASE folds only ASCII letters.
/// </summary>
internal static class SqliteSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE users (
            id            INTEGER PRIMARY KEY AUTOINCREMENT,
            username      TEXT    NOT NULL,
            username_key  TEXT    NOT NULL,
            email         TEXT    NOT NULL,
            email_key     TEXT    NOT NULL,
            full_name     TEXT    NOT NULL,
            full_name_key TEXT    NOT NULL,
            nickname      TEXT    NULL,
            nickname_key  TEXT    NOT NULL,
            is_active     INTEGER NOT NULL,
            roles         TEXT    NOT NULL,
            metadata      TEXT    NOT NULL,
            password_hash TEXT    NULL,
            created_at    INTEGER NOT NULL,
            updated_at    INTEGER NOT NULL,
            version       INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX users_username_key ON users (username_key);
        CREATE UNIQUE INDEX users_email_key ON users (email_key);
        CREATE INDEX users_created_at ON users (created_at, id);
        CREATE TABLE user_changes (
            revision   INTEGER PRIMARY KEY AUTOINCREMENT,
            type       INTEGER NOT NULL,
            user_id    INTEGER NOT NULL,
            snapshot   TEXT    NOT NULL,
            changed_at INTEGER NOT NULL
        );
        CREATE TABLE create_requests (
            request_id TEXT    PRIMARY KEY,
            user_id    INTEGER NOT NULL,
            snapshot   TEXT    NOT NULL,
            created_at INTEGER NOT NULL
        );
        """,
        """
        CREATE TABLE refresh_tokens (
            token_hash TEXT    PRIMARY KEY,
            family_id  TEXT    NOT NULL,
            user_id    INTEGER NOT NULL,
            issued_at  INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            spent_at   INTEGER NULL,
            revoked_at INTEGER NULL
        );
        CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
        """,
        // security_stamp: grows whenever the user's access tokens must stop working (see Auth/TokenRevocation.cs);
        // it never leaves the server. refresh_tokens_user: revoking every sign-in of a user (password changes).
        """
        ALTER TABLE users ADD COLUMN security_stamp INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    public static void Apply(SqliteConnection connection)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The database is at schema version {current}, newer than this build knows ({Migrations.Length}); run a newer Tessera.");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Migrations[version - 1]);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, applied_at) VALUES ($v, $at)";
            record.Parameters.AddWithValue("$v", version);
            record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O"));
            record.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
