using Npgsql;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// Versioned, forward-only migrations of the PostgreSQL store, recorded in <c>schema_migrations</c>. Every replica
/// runs <see cref="ApplyAsync"/> at start under one session-level advisory lock, so replicas starting together
/// migrate exactly once (the others wait, then find nothing to do); each migration runs in its own transaction.
/// The tables mirror SQLite's: text compared case-insensitively is also stored folded (<c>*_key</c>, folded in C#
/// by <see cref="Filtering.FilterEvaluator.Fold"/>) with the "C" collation, so equality, LIKE and ORDER BY are by
/// code point whatever the database's locale; times are whole microseconds since the epoch (<see cref="StoreTime"/>).
/// </summary>
internal static class PostgresSchema
{
    /// <summary>The session-level advisory lock held while migrating (any fixed key no other lock uses).</summary>
    public const long MigrationLock = 0x7465_7373_6572_6101;

    private static readonly string[] Migrations =
    [
        // user_changes.revision is not a column default: revisions are drawn from user_changes_revision only under
        // the revision lock, in commit order (see PostgresChangeLog).
        """
        CREATE TABLE users (
            id                       bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            username                 text    NOT NULL,
            username_key             text    COLLATE "C" NOT NULL,
            email                    text    NOT NULL,
            email_key                text    COLLATE "C" NOT NULL,
            full_name                text    NOT NULL,
            full_name_key            text    COLLATE "C" NOT NULL,
            nickname                 text    NULL,
            nickname_key             text    COLLATE "C" NOT NULL,
            is_active                boolean NOT NULL,
            roles                    text[]  NOT NULL,
            metadata                 jsonb   NOT NULL,
            password_hash            text    NULL,
            security_stamp           bigint  NOT NULL DEFAULT 0,
            password_change_required boolean NOT NULL DEFAULT false,
            created_at               bigint  NOT NULL,
            updated_at               bigint  NOT NULL,
            version                  bigint  NOT NULL
        );
        CREATE UNIQUE INDEX users_username_key ON users (username_key);
        CREATE UNIQUE INDEX users_email_key ON users (email_key);
        CREATE INDEX users_created_at ON users (created_at, id);
        CREATE SEQUENCE user_changes_revision AS bigint;
        CREATE TABLE user_changes (
            revision   bigint   PRIMARY KEY,
            type       smallint NOT NULL,
            user_id    bigint   NOT NULL,
            snapshot   text     NOT NULL,
            changed_at bigint   NOT NULL
        );
        CREATE TABLE create_requests (
            request_id text   PRIMARY KEY,
            user_id    bigint NOT NULL,
            snapshot   text   NOT NULL,
            created_at bigint NOT NULL
        );
        """,
        """
        CREATE TABLE refresh_tokens (
            token_hash text   PRIMARY KEY,
            family_id  text   NOT NULL,
            user_id    bigint NOT NULL,
            issued_at  bigint NOT NULL,
            expires_at bigint NOT NULL,
            spent_at   bigint NULL,
            revoked_at bigint NULL
        );
        CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);
        CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id);
        """,
        // The chat bus's per-room numbers (Chat/PostgresChatBus.cs): one row per room name used, bumped by every post.
        """
        CREATE TABLE tessera_chat_rooms (
            room     text   PRIMARY KEY,
            sequence bigint NOT NULL
        );
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="LatestVersion"/>; refuses one that is newer.</summary>
    /// <exception cref="InvalidOperationException">the database was migrated by a newer build.</exception>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            await using var read = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM schema_migrations", connection);
            var current = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
            if (current > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"The database is at schema version {current}, newer than this build knows ({Migrations.Length}); run a newer Tessera.");
            }

            for (var version = current + 1; version <= Migrations.Length; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
                await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version) VALUES ({version})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            // Closing the connection would release it too, but a pooled connection is not closed.
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
