using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Inventory;

/// <summary>How the host adds the inventory service: its store on the configured engine, its service, its background work.</summary>
public static class InventoryModule
{
    public static IServiceCollection AddTesseraInventory(this IServiceCollection services, StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        services.TryAddSingleton(TimeProvider.System);
        switch (store.Engine)
        {
            case StoreEngine.Sqlite:
                services.AddSingleton<DbInventoryStore>(provider => new SqliteInventoryStore(
                    Path.Combine(store.DataDirectory, SqliteInventoryStore.FileName), provider.GetRequiredService<TimeProvider>()));
                break;
            case StoreEngine.Postgres:
                var connectionString = store.ConnectionString
                    ?? throw new ArgumentException("the PostgreSQL store needs a connection string", nameof(store));
                services.AddSingleton<DbInventoryStore>(provider => new PostgresInventoryStore(connectionString, provider.GetRequiredService<TimeProvider>()));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store.Engine, "unknown store engine");
        }

        services.AddSingleton<IInventoryStore>(provider => provider.GetRequiredService<DbInventoryStore>());
        services.AddSingleton<IStoreInitializer>(provider => provider.GetRequiredService<DbInventoryStore>());
        services.AddHostedService<InventorySweeper>();
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraInventory(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<InventoryService>();
        return endpoints;
    }
}
