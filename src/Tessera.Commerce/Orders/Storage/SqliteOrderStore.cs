using System.Data.Common;
using Microsoft.Data.Sqlite;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// Orders in orders.db in the data directory: WAL, a full fsync at every commit, pooled connections; a write
/// transaction takes the file's write lock at once and waits for it (busy timeout) behind another writer.
/// </summary>
public sealed class SqliteOrderStore(string databasePath) : SqlOrderStore, IStoreInitializer
{
    public const string FileName = "orders.db";

    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    private bool initialized;

    protected override string ClaimLockClause => "";

    /// <summary>
    /// Migrates, and frees every lease: the server holds the data directory's lock, so no other process runs a saga
    /// on this file and a lease still set was left by a run that ended with its process. Recovery may take them now.
    /// </summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using (var pragmas = connection.CreateCommand())
        {
            pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
        }

        SqliteOrderSchema.Apply(connection);
        await using (var freeLeases = connection.CreateCommand())
        {
            freeLeases.CommandText = "UPDATE orders SET lease_until = NULL WHERE lease_until IS NOT NULL";
            await freeLeases.ExecuteNonQueryAsync(cancellationToken);
        }

        initialized = true;
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        if (!initialized)
        {
            throw new InvalidOperationException("the order store is used before InitializeAsync opened it");
        }

        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
