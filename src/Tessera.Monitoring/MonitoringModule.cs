using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Monitoring.Logs;
using Tessera.Monitoring.Metrics;

namespace Tessera.Monitoring;

/// <summary>How the host adds monitoring.v1: the live metric source, the log buffer, the operators' room and the service.</summary>
public static class MonitoringModule
{
    /// <summary>Needs the users' registrations (TimeProvider, StoreOptions, ChatRooms), which the host always adds.</summary>
    public static IServiceCollection AddTesseraMonitoring(this IServiceCollection services)
    {
        services.AddMetrics();
        services.AddSingleton<CallMeter>();
        services.AddSingleton<StoreSizes>();
        services.AddSingleton<MetricsHub>();
        services.AddSingleton(_ => new LogBuffer());
        services.AddSingleton<ILoggerProvider, MonitoringLoggerProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraMonitoring(this IEndpointRouteBuilder endpoints)
    {
        // The meter must listen before the first call finishes, not from the first StreamMetrics call.
        endpoints.ServiceProvider.GetRequiredService<CallMeter>();
        endpoints.MapGrpcService<MonitoringService>();
        return endpoints;
    }
}
