using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Tessera.Commerce.Payments.Storage;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Payments;

/// <summary>How the host adds the payments service: its store on the configured engine, the simulated processor, its service.</summary>
public static class PaymentsModule
{
    public static IServiceCollection AddTesseraPayments(this IServiceCollection services, StoreOptions store)
    {
        ArgumentNullException.ThrowIfNull(store);
        services.TryAddSingleton(TimeProvider.System);
        switch (store.Engine)
        {
            case StoreEngine.Sqlite:
                services.AddSingleton<SqlPaymentStore>(provider => new SqlitePaymentStore(
                    Path.Combine(store.DataDirectory, SqlitePaymentStore.FileName), provider.GetRequiredService<TimeProvider>()));
                break;
            case StoreEngine.Postgres:
                var connectionString = string.IsNullOrWhiteSpace(store.ConnectionString)
                    ? throw new ArgumentException("the PostgreSQL store needs a connection string (--connection or TESSERA_CONNECTION)", nameof(store))
                    : store.ConnectionString;
                services.AddSingleton<SqlPaymentStore>(provider => new PostgresPaymentStore(connectionString, provider.GetRequiredService<TimeProvider>()));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store.Engine, "unknown store engine");
        }

        services.AddSingleton<IPaymentStore>(provider => provider.GetRequiredService<SqlPaymentStore>());
        services.AddSingleton<IStoreInitializer>(provider => provider.GetRequiredService<SqlPaymentStore>());
        services.TryAddSingleton<IPaymentProcessor, SimulatedPaymentProcessor>();
        services.AddSingleton<PaymentFlow>();
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraPayments(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<PaymentService>();
        return endpoints;
    }
}
