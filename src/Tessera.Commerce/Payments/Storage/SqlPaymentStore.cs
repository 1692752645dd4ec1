using System.Data.Common;
using Tessera.Commerce.Money;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Payments.Storage;

/// <summary>
/// The payment store on either engine: the statements are the same text (parameters written <c>@name</c>, which
/// both providers bind); an engine supplies its connections, its write transaction and how a read row is locked.
/// Every write is one transaction: the claim is an INSERT .. ON CONFLICT (order_id) DO NOTHING, so of two calls for
/// one order exactly one inserts; a refund reads its payment locked, checks, and writes in the same transaction.
/// </summary>
public abstract class SqlPaymentStore(TimeProvider time) : IPaymentStore, IStoreInitializer, IAsyncDisposable
{
    private const string PaymentColumns =
        "payment_id, order_id, currency, amount_minor, status, decline_code, refunded_minor, processor_reference, created_at, updated_at, claim_token, claim_expires_at";

    /// <summary>PostgreSQL's SQLSTATE for a unique index refusing a row (SQLite's writes never race: one at a time).</summary>
    private const string UniqueViolation = "23505";

    private const string RefundColumns = "refund_id, payment_id, amount_minor, reason, request_id, processor_reference, created_at";

    /// <summary>Appended to a SELECT of a payment inside a write transaction: the row lock, where the engine has one.</summary>
    protected abstract string LockClause { get; }

    public abstract Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Closes the engine's connections (the host disposes the singleton at shutdown).</summary>
    public abstract ValueTask DisposeAsync();

    /// <summary>Opens a pooled connection for reading.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Runs <paramref name="work"/> in one write transaction and commits it; an exception rolls it back.</summary>
    protected abstract Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken);

    public Task<PaymentClaim> ClaimAsync(string orderId, Amount amount, TimeSpan lease, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var now = StoreTime.ToMicros(time.GetUtcNow());
                var expires = now + (long)lease.TotalMicroseconds;
                var token = Guid.NewGuid().ToString("N");
                var paymentId = "pay_" + Guid.NewGuid().ToString("N");
                await using (var insert = Command(connection, transaction, $"""
                    INSERT INTO payments ({PaymentColumns})
                    VALUES (@id, @order, @currency, @amount, {(int)PaymentStatus.Processing}, '', 0, '', @now, @now, @token, @expires)
                    ON CONFLICT (order_id) DO NOTHING
                    """))
                {
                    Add(insert, "@id", paymentId);
                    Add(insert, "@order", orderId);
                    Add(insert, "@currency", amount.Currency);
                    Add(insert, "@amount", amount.MinorUnits);
                    Add(insert, "@now", now);
                    Add(insert, "@token", token);
                    Add(insert, "@expires", expires);
                    if (await insert.ExecuteNonQueryAsync(cancellationToken) == 1)
                    {
                        return new PaymentClaim((await ReadAsync(connection, transaction, PaymentKey.ById(paymentId), string.Empty, cancellationToken)).Payment!, token);
                    }
                }

                // The order is taken: a finished payment, a live claim, or a claim whose owner died (lease over).
                var (existing, claimExpires) = await ReadAsync(connection, transaction, PaymentKey.ByOrder(orderId), LockClause, cancellationToken);
                if (existing is null)
                {
                    // Released between our insert and this read (PostgreSQL, READ COMMITTED): the caller claims again.
                    return new PaymentClaim(null, null);
                }

                if (existing.Status is not PaymentStatus.Processing || claimExpires > now || existing.Amount != amount)
                {
                    return new PaymentClaim(existing, null);
                }

                await using var takeOver = Command(connection, transaction,
                    "UPDATE payments SET claim_token = @token, claim_expires_at = @expires, updated_at = @now WHERE payment_id = @id");
                Add(takeOver, "@token", token);
                Add(takeOver, "@expires", expires);
                Add(takeOver, "@now", now);
                Add(takeOver, "@id", existing.PaymentId);
                await takeOver.ExecuteNonQueryAsync(cancellationToken);
                return new PaymentClaim(existing, token);
            },
            cancellationToken);

    public Task<PaymentRecord?> CompleteAsync(string paymentId, string claimToken, ChargeResult result, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        return WriteAsync(
            async (connection, transaction) =>
            {
                await using var update = Command(connection, transaction, $"""
                    UPDATE payments SET status = @status, decline_code = @decline, processor_reference = @reference, updated_at = @now,
                        claim_token = NULL, claim_expires_at = NULL
                    WHERE payment_id = @id AND claim_token = @token AND status = {(int)PaymentStatus.Processing}
                    """);
                Add(update, "@status", (int)(result.Approved ? PaymentStatus.Captured : PaymentStatus.Declined));
                Add(update, "@decline", result.DeclineCode);
                Add(update, "@reference", result.ProcessorReference);
                Add(update, "@now", StoreTime.ToMicros(time.GetUtcNow()));
                Add(update, "@id", paymentId);
                Add(update, "@token", claimToken);
                return await update.ExecuteNonQueryAsync(cancellationToken) == 1
                    ? (await ReadAsync(connection, transaction, PaymentKey.ById(paymentId), string.Empty, cancellationToken)).Payment
                    : null;
            },
            cancellationToken);
    }

    public Task ReleaseAsync(string paymentId, string claimToken, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                await using var delete = Command(connection, transaction,
                    $"DELETE FROM payments WHERE payment_id = @id AND claim_token = @token AND status = {(int)PaymentStatus.Processing}");
                Add(delete, "@id", paymentId);
                Add(delete, "@token", claimToken);
                return await delete.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);

    public async Task<PaymentRecord?> GetAsync(PaymentKey key, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return (await ReadAsync(connection, null, key, string.Empty, cancellationToken)).Payment;
    }

    public async Task<RefundOutcome> RefundAsync(
        RefundRequest request, Func<PaymentRecord, Amount, CancellationToken, Task<string>> issue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(issue);
        try
        {
            return await RefundOnceAsync(request, issue, cancellationToken);
        }
        catch (DbException error) when (error.SqlState == UniqueViolation && request.RequestId is { } requestId)
        {
            // Only another payment's refund can race us to a request_id: refunds of one payment hold its lock.
            throw PaymentErrors.RequestIdTaken(requestId);
        }
    }

    private Task<RefundOutcome> RefundOnceAsync(
        RefundRequest request, Func<PaymentRecord, Amount, CancellationToken, Task<string>> issue, CancellationToken cancellationToken) =>
        WriteAsync(
            async (connection, transaction) =>
            {
                var payment = (await ReadAsync(connection, transaction, request.Payment, LockClause, cancellationToken)).Payment
                    ?? throw PaymentErrors.NotFound(request.Payment.ToString());
                if (request.RequestId is { } requestId && await ReadRefundByRequestAsync(connection, transaction, requestId, payment.Amount.Currency, cancellationToken) is { } prior)
                {
                    RefundRules.RequireSameRefund(request, payment, prior);
                    return new RefundOutcome(prior, payment);
                }

                var amount = RefundRules.Decide(request, payment);
                var reference = await issue(payment, amount, cancellationToken);
                var now = StoreTime.ToMicros(time.GetUtcNow());
                var refundId = "re_" + Guid.NewGuid().ToString("N");
                await using (var insert = Command(connection, transaction, $"INSERT INTO refunds ({RefundColumns}, sequence) VALUES (@id, @payment, @amount, @reason, @request, @reference, @now, @sequence)"))
                {
                    Add(insert, "@id", refundId);
                    Add(insert, "@payment", payment.PaymentId);
                    Add(insert, "@amount", amount.MinorUnits);
                    Add(insert, "@reason", request.Reason);
                    Add(insert, "@request", request.RequestId);
                    Add(insert, "@reference", reference);
                    Add(insert, "@now", now);
                    Add(insert, "@sequence", payment.Refunds.Count + 1L);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                var refunded = payment.RefundedAmount + amount;
                await using (var update = Command(connection, transaction, "UPDATE payments SET refunded_minor = @refunded, status = @status, updated_at = @now WHERE payment_id = @id"))
                {
                    Add(update, "@refunded", refunded.MinorUnits);
                    Add(update, "@status", (int)(refunded == payment.Amount ? PaymentStatus.Refunded : PaymentStatus.Captured));
                    Add(update, "@now", now);
                    Add(update, "@id", payment.PaymentId);
                    await update.ExecuteNonQueryAsync(cancellationToken);
                }

                var after = (await ReadAsync(connection, transaction, PaymentKey.ById(payment.PaymentId), string.Empty, cancellationToken)).Payment!;
                return new RefundOutcome(after.Refunds.Single(r => r.RefundId == refundId), after);
            },
            cancellationToken);

    /// <summary>The payment named by <paramref name="key"/> with its refunds, and its claim's expiry (0 when none).</summary>
    private static async Task<(PaymentRecord? Payment, long ClaimExpires)> ReadAsync(
        DbConnection connection, DbTransaction? transaction, PaymentKey key, string lockClause, CancellationToken cancellationToken)
    {
        var column = key.PaymentId is not null ? "payment_id" : "order_id";
        PaymentRecord payment;
        long claimExpires;
        await using (var select = Command(connection, transaction, $"SELECT {PaymentColumns} FROM payments WHERE {column} = @key {lockClause}"))
        {
            Add(select, "@key", key.PaymentId ?? key.OrderId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            if (!await reader.ReadAsync(cancellationToken))
            {
                return (null, 0);
            }

            var currency = reader.GetString(2);
            payment = new PaymentRecord(
                reader.GetString(0),
                reader.GetString(1),
                new Amount(reader.GetInt64(3), currency),
                (PaymentStatus)reader.GetInt32(4),
                reader.GetString(5),
                new Amount(reader.GetInt64(6), currency),
                reader.GetString(7),
                StoreTime.FromMicros(reader.GetInt64(8)),
                StoreTime.FromMicros(reader.GetInt64(9)),
                []);
            claimExpires = await reader.IsDBNullAsync(11, cancellationToken) ? 0 : reader.GetInt64(11);
        }

        var refunds = new List<RefundRecord>();
        await using (var select = Command(connection, transaction, $"SELECT {RefundColumns} FROM refunds WHERE payment_id = @id ORDER BY sequence"))
        {
            Add(select, "@id", payment.PaymentId);
            await using var reader = await select.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                refunds.Add(await ReadRefundAsync(reader, payment.Amount.Currency, cancellationToken));
            }
        }

        return (payment with { Refunds = refunds }, claimExpires);
    }

    private static async Task<RefundRecord?> ReadRefundByRequestAsync(
        DbConnection connection, DbTransaction transaction, string requestId, string currency, CancellationToken cancellationToken)
    {
        await using var select = Command(connection, transaction, $"SELECT {RefundColumns} FROM refunds WHERE request_id = @request");
        Add(select, "@request", requestId);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? await ReadRefundAsync(reader, currency, cancellationToken) : null;
    }

    private static async Task<RefundRecord> ReadRefundAsync(DbDataReader reader, string currency, CancellationToken cancellationToken) => new(
        reader.GetString(0),
        reader.GetString(1),
        new Amount(reader.GetInt64(2), currency),
        reader.GetString(3),
        await reader.IsDBNullAsync(4, cancellationToken) ? null : reader.GetString(4),
        reader.GetString(5),
        StoreTime.FromMicros(reader.GetInt64(6)));

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
    }
}
