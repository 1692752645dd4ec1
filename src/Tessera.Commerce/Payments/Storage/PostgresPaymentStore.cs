using System.Data;
using System.Data.Common;
using Npgsql;

namespace Tessera.Commerce.Payments.Storage;

/// <summary>
/// Payments in the PostgreSQL schema <c>payments</c> (the data source's search path), migrated by every replica at
/// start under one advisory lock. Writes are READ COMMITTED transactions: the order id's unique index decides the
/// claim, and a refund locks its payment row (SELECT .. FOR UPDATE) so concurrent refunds are checked one after
/// the other. Every statement is cancelled with its call's token (the gRPC deadline).
/// </summary>
public sealed class PostgresPaymentStore(string connectionString, TimeProvider time) : SqlPaymentStore(time)
{
    public const string Schema = "payments";

    /// <summary>The session-level advisory lock held while migrating (a key no other store uses).</summary>
    private const long MigrationLock = 0x7465_7373_6572_6103;

    private NpgsqlDataSource? dataSource;

    protected override string LockClause => "FOR UPDATE";

    private NpgsqlDataSource Source => dataSource ?? throw new InvalidOperationException("the payment store is not initialized (InitializeAsync)");

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (dataSource is not null)
        {
            throw new InvalidOperationException("the payment store is already initialized");
        }

        var source = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema }.ConnectionString);
        try
        {
            await using (var connection = await source.OpenConnectionAsync(cancellationToken))
            {
                await PaymentSchema.ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
                try
                {
                    await PaymentSchema.ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS {Schema}", cancellationToken);
                    await PaymentSchema.ApplyAsync(connection, cancellationToken);
                }
                finally
                {
                    await PaymentSchema.ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
                }
            }

            dataSource = source;
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await Source.OpenConnectionAsync(cancellationToken);

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await Source.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
        var result = await work(connection, transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }

    public override async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }
    }
}
