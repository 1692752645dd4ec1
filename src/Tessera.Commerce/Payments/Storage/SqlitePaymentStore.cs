using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tessera.Commerce.Payments.Storage;

/// <summary>
/// Payments in their own SQLite file (<c>payments.db</c> in the data directory), in WAL mode. Writes go one at a
/// time (a gate in this process, and BEGIN IMMEDIATE against any other), so a refund's check and insert see no
/// concurrent refund; reads use pooled connections beside them.
/// </summary>
public sealed class SqlitePaymentStore(string databasePath, TimeProvider time) : SqlPaymentStore(time)
{
    public const string FileName = "payments.db";

    private readonly SemaphoreSlim writeGate = new(1, 1);

    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    protected override string LockClause => string.Empty;

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await PaymentSchema.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
        await PaymentSchema.ApplyAsync(connection, cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await PaymentSchema.ExecuteAsync(connection, null, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
            await using var transaction = connection.BeginTransaction(deferred: false);
            var result = await work(connection, transaction);
            await transaction.CommitAsync(cancellationToken);
            return result;
        }
        finally
        {
            writeGate.Release();
        }
    }

    public override ValueTask DisposeAsync()
    {
        writeGate.Dispose();
        return ValueTask.CompletedTask;
    }
}
