using Microsoft.Data.Sqlite;

namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// Versioned, forward-only migrations of orders.db, recorded in its own <c>schema_migrations</c>, each in its own
/// transaction. Times are microseconds since the epoch (StoreTime); flags are 0/1.
/// </summary>
internal static class SqliteOrderSchema
{
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE orders (
            order_id               TEXT    PRIMARY KEY,
            user_id                INTEGER NOT NULL,
            request_id             TEXT    NOT NULL,
            step                   INTEGER NOT NULL,
            currency               TEXT    NOT NULL,
            total_minor            INTEGER NOT NULL,
            reservation_id         TEXT    NOT NULL,
            reservation_expires_at INTEGER NULL,
            payment_id             TEXT    NOT NULL,
            reserve_attempted      INTEGER NOT NULL,
            payment_attempted      INTEGER NOT NULL,
            stock_committed        INTEGER NOT NULL,
            failure_code           INTEGER NULL,
            failure_reason         TEXT    NULL,
            failure_message        TEXT    NULL,
            cancel_reason          TEXT    NOT NULL,
            lease_until            INTEGER NULL,
            created_at             INTEGER NOT NULL,
            updated_at             INTEGER NOT NULL,
            version                INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX orders_request ON orders (user_id, request_id);
        CREATE INDEX orders_user_newest ON orders (user_id, created_at DESC, order_id DESC);
        CREATE INDEX orders_newest ON orders (created_at DESC, order_id DESC);
        CREATE INDEX orders_unfinished ON orders (updated_at) WHERE step NOT IN (5, 7, 9);
        CREATE TABLE order_lines (
            order_id         TEXT    NOT NULL REFERENCES orders (order_id),
            line_no          INTEGER NOT NULL,
            sku              TEXT    NOT NULL,
            quantity         INTEGER NOT NULL,
            unit_price_minor INTEGER NOT NULL,
            PRIMARY KEY (order_id, line_no)
        ) WITHOUT ROWID;
        """,
    ];

    public static void Apply(SqliteConnection connection)
    {
        Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)");
        using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var current = Convert.ToInt32(read.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"orders.db is at schema version {current}, newer than this build knows ({Migrations.Length}); run a newer Tessera.");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            using var transaction = connection.BeginTransaction();
            Execute(connection, transaction, Migrations[version - 1]);
            Execute(connection, transaction, $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, '{DateTimeOffset.UtcNow:O}')");
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
