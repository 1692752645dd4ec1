using System.Data.Common;
using System.Globalization;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// The inventory's versioned, forward-only migrations, one list per engine, recorded in its own
/// <c>schema_migrations</c> table; each runs in its own transaction. The caller holds whatever lock keeps two
/// processes from migrating at once (SQLite's write lock, PostgreSQL's advisory lock).
/// </summary>
internal static class InventoryMigrations
{
    public static readonly string[] Sqlite =
    [
        """
        CREATE TABLE products (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            sku         TEXT    NOT NULL,
            sku_key     TEXT    NOT NULL UNIQUE,
            name        TEXT    NOT NULL,
            name_key    TEXT    NOT NULL,
            price_minor INTEGER NOT NULL,
            currency    TEXT    NOT NULL,
            available   INTEGER NOT NULL CHECK (available >= 0),
            reserved    INTEGER NOT NULL CHECK (reserved >= 0),
            active      INTEGER NOT NULL,
            create_time INTEGER NOT NULL,
            update_time INTEGER NOT NULL,
            version     INTEGER NOT NULL
        );
        CREATE INDEX products_name ON products (name_key, id);
        CREATE TABLE reservations (
            id          TEXT    PRIMARY KEY,
            order_id    TEXT    NOT NULL UNIQUE,
            state       INTEGER NOT NULL,
            create_time INTEGER NOT NULL,
            expire_time INTEGER NOT NULL,
            total_minor INTEGER NOT NULL,
            currency    TEXT    NOT NULL
        );
        CREATE INDEX reservations_due ON reservations (state, expire_time);
        CREATE TABLE reservation_lines (
            reservation_id TEXT    NOT NULL REFERENCES reservations (id),
            sku            TEXT    NOT NULL,
            sku_key        TEXT    NOT NULL,
            quantity       INTEGER NOT NULL,
            price_minor    INTEGER NOT NULL,
            PRIMARY KEY (reservation_id, sku_key)
        );
        CREATE TABLE stock_adjustments (
            id          INTEGER PRIMARY KEY AUTOINCREMENT,
            sku_key     TEXT    NOT NULL,
            delta       INTEGER NOT NULL,
            reason      TEXT    NOT NULL,
            request_id  TEXT    NULL UNIQUE,
            adjusted_at INTEGER NOT NULL
        );
        """,
    ];

    public static readonly string[] Postgres =
    [
        """
        CREATE TABLE products (
            id          bigint  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            sku         text    NOT NULL,
            sku_key     text    COLLATE "C" NOT NULL UNIQUE,
            name        text    NOT NULL,
            name_key    text    COLLATE "C" NOT NULL,
            price_minor bigint  NOT NULL,
            currency    text    NOT NULL,
            available   bigint  NOT NULL CHECK (available >= 0),
            reserved    bigint  NOT NULL CHECK (reserved >= 0),
            active      boolean NOT NULL,
            create_time bigint  NOT NULL,
            update_time bigint  NOT NULL,
            version     bigint  NOT NULL
        );
        CREATE INDEX products_name ON products (name_key, id);
        CREATE TABLE reservations (
            id          text    PRIMARY KEY,
            order_id    text    NOT NULL UNIQUE,
            state       integer NOT NULL,
            create_time bigint  NOT NULL,
            expire_time bigint  NOT NULL,
            total_minor bigint  NOT NULL,
            currency    text    NOT NULL
        );
        CREATE INDEX reservations_due ON reservations (state, expire_time);
        CREATE TABLE reservation_lines (
            reservation_id text    NOT NULL REFERENCES reservations (id),
            sku            text    NOT NULL,
            sku_key        text    COLLATE "C" NOT NULL,
            quantity       integer NOT NULL,
            price_minor    bigint  NOT NULL,
            PRIMARY KEY (reservation_id, sku_key)
        );
        CREATE TABLE stock_adjustments (
            id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            sku_key     text   COLLATE "C" NOT NULL,
            delta       bigint NOT NULL,
            reason      text   NOT NULL,
            request_id  text   NULL UNIQUE,
            adjusted_at bigint NOT NULL
        );
        """,
    ];

    /// <summary>Brings the database on <paramref name="connection"/> to the last of <paramref name="migrations"/>; refuses a newer one.</summary>
    public static async Task ApplyAsync(DbConnection connection, string[] migrations, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)", cancellationToken);
        int current;
        await using (var read = connection.CreateCommand())
        {
            read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
            current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        }

        if (current > migrations.Length)
        {
            throw new InvalidOperationException(
                $"The inventory database is at schema version {current}, newer than this build knows ({migrations.Length}); run a newer Tessera.");
        }

        for (var version = current + 1; version <= migrations.Length; version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, migrations[version - 1], cancellationToken);
            var applied = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, transaction, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {applied})", cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
    }

    public static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
