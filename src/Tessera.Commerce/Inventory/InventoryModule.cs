using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Inventory;

/// <summary>How the host adds the inventory service: its store on the configured engine, its service, its background work.</summary>
public static class InventoryModule
{
    public static IServiceCollection AddTesseraInventory(this IServiceCollection services, StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraInventory(this IEndpointRouteBuilder endpoints) => endpoints;
}
