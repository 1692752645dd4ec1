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
        services.AddSingleton<LoggingInterceptor>();
        services.AddSingleton<StreamMetricsInterceptor>();
    }

    /// <summary>Goes before UseAuthentication/UseAuthorization, so calls they refuse are counted.</summary>
    public static void UseTesseraObservability(this WebApplication app, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MetricsUrls.Count > 0)
        {
            var registry = app.Services.GetRequiredService<GrpcMetrics>().Registry;
            var isMetricsListener = MetricsListener(options.MetricsUrls);
            app.MapWhen(isMetricsListener, metrics => metrics.UseMetricServer(settings => settings.Registry = registry, MetricsPath));
        }

        app.UseMiddleware<GrpcMetricsMiddleware>();
    }

    /// <summary>
    /// Whether a request came in on a metrics listener: by its local port; for a metrics URL with port 0 (chosen by
    /// the OS) by its protocol, since KestrelSetup serves gRPC over HTTP/2 only and metrics over HTTP/1.1 only.
    /// </summary>
    private static Func<HttpContext, bool> MetricsListener(IReadOnlyList<string> metricsUrls)
    {
        var ports = metricsUrls.Select(PortOf).ToHashSet();
        var anyPort = ports.Contains(0);
        return context => ports.Contains(context.Connection.LocalPort)
            || (anyPort && !HttpProtocol.IsHttp2(context.Request.Protocol) && !HttpProtocol.IsHttp3(context.Request.Protocol));
    }

    private static int PortOf(string url)
    {
        var normalized = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        // KestrelSetup refuses a URL that does not parse; -1 matches no port.
        return Uri.TryCreate(normalized, UriKind.Absolute, out var uri) ? uri.Port : -1;
    }
}
