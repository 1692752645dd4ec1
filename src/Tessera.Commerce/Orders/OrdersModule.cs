using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Commerce.Orders.Calls;
using Tessera.Commerce.Orders.Saga;
using Tessera.Commerce.Orders.Service;
using Tessera.Commerce.Orders.Storage;
using Tessera.Users.Auth;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders;

/// <summary>How the host adds the orders service: its store on the configured engine, its peers' clients, the saga and its recovery, the service.</summary>
public static class OrdersModule
{
    public static IServiceCollection AddTesseraOrders(this IServiceCollection services, StoreOptions store, PeerAddresses peers)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(peers);
        if (store.Engine == StoreEngine.Postgres)
        {
            services.AddSingleton<IOrderStore>(new PostgresOrderStore(store.ConnectionString!));
        }
        else
        {
            services.AddSingleton<IOrderStore>(new SqliteOrderStore(Path.Combine(store.DataDirectory, SqliteOrderStore.FileName)));
        }

        services.AddSingleton<IStoreInitializer>(provider => (IStoreInitializer)provider.GetRequiredService<IOrderStore>());
        services.AddSingleton(new OrderSagaOptions());
        services.TryAddSingleton(TimeProvider.System);

        PeerClients.Add(services, peers);
        // --auth none: no token on outgoing calls (every caller is an admin there).
        services.AddSingleton(provider => new ServiceIdentity(
            provider.GetRequiredService<IConfiguration>()["auth"] == "none" ? null : provider.GetRequiredService<TokenIssuer>()));
        services.AddSingleton<IUserDirectory, GrpcUserDirectory>();
        services.AddSingleton<IInventoryGateway, GrpcInventoryGateway>();
        services.AddSingleton<IPaymentGateway, GrpcPaymentGateway>();
        services.AddSingleton<OrderSaga>();
        services.AddHostedService<OrderRecovery>();
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraOrders(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<OrderService>();
        return endpoints;
    }
}
