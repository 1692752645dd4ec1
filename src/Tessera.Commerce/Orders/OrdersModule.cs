using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders;

/// <summary>How the host adds the orders service: its store on the configured engine, its service, its background work.</summary>
public static class OrdersModule
{
    public static IServiceCollection AddTesseraOrders(this IServiceCollection services, StoreOptions store, PeerAddresses peers)
    {
        ArgumentNullException.ThrowIfNull(store);
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraOrders(this IEndpointRouteBuilder endpoints) => endpoints;
}
