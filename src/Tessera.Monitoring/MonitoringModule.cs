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
        services.AddSingleton<CallMeter>();
        services.AddSingleton<StoreSizes>();
        services.AddSingleton<MetricsHub>();
        services.AddSingleton(_ => new LogBuffer());
        services.AddSingleton<ILoggerProvider, MonitoringLoggerProvider>();
        return services;
    }

    public static IEndpointRouteBuilder MapTesseraMonitoring(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGrpcService<MonitoringService>();
        return endpoints;
    }
}
