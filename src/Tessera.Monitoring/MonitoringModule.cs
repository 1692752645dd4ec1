using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Monitoring;

/// <summary>How the host adds monitoring.v1: the live metric source, the log buffer, the operators' room and the service.</summary>
public static class MonitoringModule
{
    public static IServiceCollection AddTesseraMonitoring(this IServiceCollection services) => services;

    public static IEndpointRouteBuilder MapTesseraMonitoring(this IEndpointRouteBuilder endpoints) => endpoints;
}
