using System.Data.Common;
using System.Globalization;

namespace Tessera.Commerce.Payments.Storage;

/// <summary>
/// The payment store's versioned, forward-only migrations, one text for both engines (only types both know:
/// text, bigint, integer), recorded in <c>schema_migrations</c> (on PostgreSQL inside the <c>payments</c> schema).
/// Money is whole minor units with its ISO 4217 code; times are microseconds since the epoch (StoreTime).
/// </summary>
internal static class PaymentSchema
{
    private static readonly string[] Migrations =
    [
        // claim_token and claim_expires_at: the PROCESSING claim's owner and lease (see PaymentFlow); null once finished.
        // refunds.sequence: 1, 2, ... per payment, the order they were made in (written under the payment's lock).
        """
        CREATE TABLE payments (
            payment_id          text    PRIMARY KEY,
            order_id            text    NOT NULL UNIQUE,
            currency            text    NOT NULL,
            amount_minor        bigint  NOT NULL,
            status              integer NOT NULL,
            decline_code        text    NOT NULL,
            refunded_minor      bigint  NOT NULL,
            processor_reference text    NOT NULL,
            claim_token         text    NULL,
            claim_expires_at    bigint  NULL,
            created_at          bigint  NOT NULL,
            updated_at          bigint  NOT NULL
        );
        CREATE TABLE refunds (
            refund_id           text   PRIMARY KEY,
            payment_id          text   NOT NULL REFERENCES payments (payment_id),
            sequence            bigint NOT NULL,
            amount_minor        bigint NOT NULL,
            reason              text   NOT NULL,
            request_id          text   NULL UNIQUE,
            processor_reference text   NOT NULL,
            created_at          bigint NOT NULL
        );
        CREATE UNIQUE INDEX refunds_payment ON refunds (payment_id, sequence);
        """,
    ];

    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the store to <see cref="LatestVersion"/>, each migration in its own transaction; refuses a newer one.</summary>
    public static async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await ExecuteAsync(connection, null, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at bigint NOT NULL)", cancellationToken);
        await using var read = connection.CreateCommand();
        read.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations";
        var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
        if (current > Migrations.Length)
        {
            throw new InvalidOperationException(
                $"The payment store is at schema version {current}, newer than this build knows ({Migrations.Length}); run a newer Tessera.");
        }

        for (var version = current + 1; version <= Migrations.Length; version++)
        {
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
            await ExecuteAsync(
                connection,
                transaction,
                $"INSERT INTO schema_migrations (version, applied_at) VALUES ({version}, {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000})",
                cancellationToken);
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
