using Prometheus;

namespace Tessera.Server.Observability;

/// <summary>
/// Metrics and call logs. Calls are always counted (cheaply, in memory); <c>/metrics</c> (Prometheus text format) is
/// served only on the <c>--metrics-urls</c> listeners, never on the gRPC port, and not at all without them.
/// </summary>
public static class ObservabilitySetup
{
    public const string MetricsPath = "/metrics";

    public static void AddTesseraObservability(this IServiceCollection services, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        services.AddSingleton<GrpcMetrics>();
        services.AddSingleton<RefusalLog>();
        services.AddHostedService(provider => provider.GetRequiredService<RefusalLog>());
    }

    /// <summary>Goes before authentication and authorization, so calls they refuse are counted.</summary>
    public static void UseTesseraObservability(this WebApplication app, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MetricsUrls.Count > 0)
        {
            var registry = app.Services.GetRequiredService<GrpcMetrics>().Registry;
            app.MapWhen(context => Listeners.Of(context) == ListenerRole.Metrics, metrics => metrics.UseMetricServer(settings => settings.Registry = registry, MetricsPath));
        }

        app.UseMiddleware<GrpcMetricsMiddleware>();
    }
}
