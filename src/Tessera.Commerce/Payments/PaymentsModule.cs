using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Payments;

/// <summary>How the host adds the payments service: its store on the configured engine, its service, its background work.</summary>
public static class PaymentsModule
{
    public static IServiceCollection AddTesseraPayments(this IServiceCollection services, StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraPayments(this IEndpointRouteBuilder endpoints) => endpoints;
}
