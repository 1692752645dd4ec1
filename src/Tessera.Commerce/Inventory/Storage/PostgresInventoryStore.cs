using System.Data.Common;
using Npgsql;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// The inventory on PostgreSQL: its own schema (<c>inventory</c>, on the data source's search path) shared by every
/// replica. Migrations run under a session-level advisory lock so replicas starting together migrate once. Writes are
/// READ COMMITTED transactions whose conditional updates take row locks in SKU-key order; each query is cancelled by
/// its call's token.
/// </summary>
public sealed class PostgresInventoryStore(string connectionString, TimeProvider clock) : DbInventoryStore(clock), IAsyncDisposable
{
    public const string Schema = "inventory";

    /// <summary>The advisory lock held while migrating (a fixed key no other lock uses).</summary>
    private const long MigrationLock = 0x7465_7373_6572_6102;

    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(
        new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = Schema }.ConnectionString);

    public override async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await InventoryMigrations.ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({MigrationLock})", cancellationToken);
        try
        {
            await InventoryMigrations.ExecuteAsync(connection, null, $"CREATE SCHEMA IF NOT EXISTS {Schema}", cancellationToken);
            await InventoryMigrations.ApplyAsync(connection, InventoryMigrations.Postgres, cancellationToken);
        }
        finally
        {
            await InventoryMigrations.ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({MigrationLock})", CancellationToken.None);
        }
    }

    public ValueTask DisposeAsync() => dataSource.DisposeAsync();

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<T> WriteAsync<T>(Func<DbTransaction, Task<T>> work, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var result = await work(transaction);
        await transaction.CommitAsync(cancellationToken);
        return result;
    }
}
