using Npgsql;

namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// Versioned, forward-only migrations of the <c>orders</c> schema, recorded in <c>orders.schema_migrations</c>. Replicas
/// starting together migrate once: each runs this under one session-level advisory lock of its own key.
/// </summary>
internal static class PostgresOrderSchema
{
    public const string Schema = "orders";

    /// <summary>The advisory lock held while migrating the orders schema (a fixed key no other lock uses: "orders" + 1).</summary>
    public const long MigrationLock = 0x6f72_6465_7273_0001;

    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE orders (
            order_id               text     PRIMARY KEY,
            user_id                bigint   NOT NULL,
            request_id             text     NOT NULL,
            step                   integer  NOT NULL,
            currency               text     NOT NULL,
            total_minor            bigint   NOT NULL,
            reservation_id         text     NOT NULL,
            reservation_expires_at bigint   NULL,
            payment_id             text     NOT NULL,
            reserve_attempted      boolean  NOT NULL,
            payment_attempted      boolean  NOT NULL,
            stock_committed        boolean  NOT NULL,
            failure_code           integer  NULL,
            failure_reason         text     NULL,
            failure_message        text     NULL,
            cancel_reason          text     NOT NULL,
            lease_until            bigint   NULL,
            created_at             bigint   NOT NULL,
            updated_at             bigint   NOT NULL,
            version                bigint   NOT NULL
        );
        CREATE UNIQUE INDEX orders_request ON orders (user_id, request_id);
        CREATE INDEX orders_user_newest ON orders (user_id, created_at DESC, order_id DESC);
        CREATE INDEX orders_newest ON orders (created_at DESC, order_id DESC);
        CREATE INDEX orders_unfinished ON orders (updated_at) WHERE step NOT IN (5, 7, 9);
        CREATE TABLE order_lines (
            order_id         text    NOT NULL REFERENCES orders (order_id),
            line_no          integer NOT NULL,
            sku              text    NOT NULL,
            quantity         integer NOT NULL,
            unit_price_minor bigint  NOT NULL,
            PRIMARY KEY (order_id, line_no)
        );
        """,
    ];

    /// <summary>Creates the schema if needed and brings it to the newest version; refuses one a newer build migrated.</summary>
    public static async Task ApplyAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS {Schema}", cancellationToken);
            await ExecuteAsync(connection, null, $"CREATE TABLE IF NOT EXISTS {Schema}.schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())", cancellationToken);
            await using var read = new NpgsqlCommand($"SELECT COALESCE(MAX(version), 0) FROM {Schema}.schema_migrations", connection);
            var current = (int)(await read.ExecuteScalarAsync(cancellationToken))!;
            if (current > Migrations.Length)
            {
                throw new InvalidOperationException(
                    $"the orders schema is at version {current}, newer than this build knows ({Migrations.Length}); run a newer Tessera.");
            }

            for (var version = current + 1; version <= Migrations.Length; version++)
            {
                await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
                await ExecuteAsync(connection, transaction, $"SET LOCAL search_path TO {Schema}", cancellationToken);
                await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
                await ExecuteAsync(connection, transaction, $"INSERT INTO {Schema}.schema_migrations (version) VALUES ({version})", cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            }
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
