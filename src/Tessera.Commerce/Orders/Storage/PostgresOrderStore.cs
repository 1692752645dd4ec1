using System.Data.Common;
using Npgsql;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// Orders in the <c>orders</c> schema of a PostgreSQL database that any number of replicas share: the data source's
/// search path is that schema. Recovery claims rows with <c>FOR UPDATE SKIP LOCKED</c>, so replicas running recovery
/// at once take different orders.
/// </summary>
public sealed class PostgresOrderStore(string connectionString) : SqlOrderStore, IStoreInitializer, IAsyncDisposable
{
    private NpgsqlDataSource? dataSource;

    protected override string ClaimLockClause => "FOR UPDATE SKIP LOCKED";

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (dataSource is not null)
        {
            throw new InvalidOperationException("the order store is already initialized");
        }

        var settings = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = PostgresOrderSchema.Schema };
        if (!settings.ContainsKey("Max Auto Prepare"))
        {
            settings.MaxAutoPrepare = 32;
            settings.AutoPrepareMinUsages = 2;
        }

        var source = NpgsqlDataSource.Create(settings.ConnectionString);
        try
        {
            await PostgresOrderSchema.ApplyAsync(source, cancellationToken);
        }
        catch
        {
            await source.DisposeAsync();
            throw;
        }

        dataSource = source;
    }

    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await (dataSource ?? throw new InvalidOperationException("the order store is used before InitializeAsync opened it"))
            .OpenConnectionAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (dataSource is not null)
        {
            await dataSource.DisposeAsync();
        }
    }
}
