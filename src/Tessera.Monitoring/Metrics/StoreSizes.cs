using System.Data.Common;
using Microsoft.Extensions.Logging;
using Npgsql;
using Tessera.Users.Storage;

namespace Tessera.Monitoring.Metrics;

/// <summary>
/// How much room each service's data takes: on SQLite its files in the data directory (the database and its WAL),
/// on PostgreSQL the total relation size of its schema (public holds the users). Measured at most every
/// <see cref="RefreshEvery"/> in the background, so a tick never waits on the database.
/// </summary>
public sealed partial class StoreSizes(StoreOptions store, TimeProvider clock, ILogger<StoreSizes> logger)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(10);

    private static readonly Dictionary<string, string> SqliteFiles = new(StringComparer.Ordinal)
    {
        [StoreOptions.SqliteFileName] = ServiceNames.Users,
        ["inventory.db"] = ServiceNames.Inventory,
        ["payments.db"] = ServiceNames.Payments,
        ["orders.db"] = ServiceNames.Orders,
    };

    private static readonly Dictionary<string, string> Schemas = new(StringComparer.Ordinal)
    {
        ["public"] = ServiceNames.Users,
        ["inventory"] = ServiceNames.Inventory,
        ["payments"] = ServiceNames.Payments,
        ["orders"] = ServiceNames.Orders,
    };

    private IReadOnlyList<StoreSize> latest = [];
    private long measuredAtTicks = DateTimeOffset.MinValue.UtcTicks;
    private int refreshing;

    /// <summary>The latest measurement; starts a new one in the background when it is older than <see cref="RefreshEvery"/>.</summary>
    public IReadOnlyList<StoreSize> Current()
    {
        if (clock.GetUtcNow().UtcTicks - Interlocked.Read(ref measuredAtTicks) >= RefreshEvery.Ticks && Interlocked.Exchange(ref refreshing, 1) == 0)
        {
            _ = Task.Run(RefreshAsync);
        }

        return Volatile.Read(ref latest);
    }

    private async Task RefreshAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var sizes = store.Engine == StoreEngine.Postgres ? await MeasurePostgresAsync(timeout.Token) : MeasureSqlite();
            Volatile.Write(ref latest, sizes);
        }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException or OperationCanceledException or TimeoutException)
        {
            LogNotMeasured(logger, e);
        }
        finally
        {
            Interlocked.Exchange(ref measuredAtTicks, clock.GetUtcNow().UtcTicks);
            Volatile.Write(ref refreshing, 0);
        }
    }

    private List<StoreSize> MeasureSqlite()
    {
        var sizes = new List<StoreSize>();
        foreach (var (file, service) in SqliteFiles)
        {
            var path = Path.Combine(store.DataDirectory, file);
            if (!File.Exists(path))
            {
                continue;
            }

            var bytes = new FileInfo(path).Length;
            var wal = new FileInfo(path + "-wal");
            bytes += wal.Exists ? wal.Length : 0;
            sizes.Add(new StoreSize(service, "file=" + file, bytes));
        }

        return sizes;
    }

    private async Task<List<StoreSize>> MeasurePostgresAsync(CancellationToken cancellationToken)
    {
        const string sql = """
            SELECT n.nspname, COALESCE(SUM(pg_total_relation_size(c.oid)), 0)::bigint
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE c.relkind IN ('r', 'p', 'm') AND n.nspname = ANY(@schemas)
            GROUP BY n.nspname
            """;
        await using var connection = new NpgsqlConnection(store.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("schemas", Schemas.Keys.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var sizes = new List<StoreSize>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var schema = reader.GetString(0);
            sizes.Add(new StoreSize(Schemas[schema], "schema=" + schema, reader.GetInt64(1)));
        }

        return sizes;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not measure the stores' sizes")]
    private static partial void LogNotMeasured(ILogger logger, Exception exception);
}
