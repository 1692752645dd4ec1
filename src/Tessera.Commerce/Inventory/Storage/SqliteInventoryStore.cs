using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// The inventory on SQLite: its own file (<c>inventory.db</c>) in the data directory, WAL, a full fsync per commit.
/// Writes are serialised inside the process by a gate and across processes by <c>BEGIN IMMEDIATE</c> (SQLite's one
/// writer), so each transaction's conditional updates see every earlier commit.
/// </summary>
public sealed class SqliteInventoryStore(string databasePath, TimeProvider clock) : DbInventoryStore(clock), IDisposable
{
    public const string FileName = "inventory.db";

    private readonly SemaphoreSlim writeGate = new(1, 1);

    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(databasePath))!);
        await WriteGateAsync(
            async () =>
            {
                await using var connection = await OpenAsync(cancellationToken);
                await InventoryMigrations.ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL", cancellationToken);
                await InventoryMigrations.ApplyAsync(connection, InventoryMigrations.Sqlite, cancellationToken);
                return true;
            },
            cancellationToken);
    }

    public void Dispose() => writeGate.Dispose();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await InventoryMigrations.ExecuteAsync(connection, null, "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;", cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    protected override Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken) =>
        WriteGateAsync(
            async () =>
            {
                await using var connection = (SqliteConnection)await OpenAsync(cancellationToken);
                await using var transaction = connection.BeginTransaction(deferred: false);
                var result = await work(transaction);
                await transaction.CommitAsync(cancellationToken);
                return result;
            },
            cancellationToken);

    private async Task<T> WriteGateAsync<T>(Func<Task<T>> work, CancellationToken cancellationToken)
    {
        await writeGate.WaitAsync(cancellationToken);
        try
        {
            return await work();
        }
        finally
        {
            writeGate.Release();
        }
    }
}
