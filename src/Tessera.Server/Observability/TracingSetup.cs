using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Tessera.Server.Observability;

/// <summary>
/// OpenTelemetry tracing, on only with <c>--otlp-endpoint</c>: a server span per call (ASP.NET Core), a client span
/// per outgoing gRPC/HTTP call (HttpClient, so a hop to a peer service is a child of the call that made it), and the
/// spans of every ActivitySource named <c>Tessera.*</c> (the commerce services' store and saga steps). W3C trace
/// context (<c>traceparent</c>) is read from each call and sent on each hop, so one call across the services is one
/// trace. Without the flag no tracer provider exists at all: nothing listens to the sources and nothing is recorded.
/// </summary>
public static class TracingSetup
{
    /// <summary>The service.name of every span's resource; the served services are in <see cref="ServicesAttribute"/>.</summary>
    public const string ServiceName = "tessera";

    public const string ServicesAttribute = "tessera.services";

    /// <summary>The ActivitySources traced, by name (OpenTelemetry matches the wildcard).</summary>
    public const string Sources = "Tessera.*";

    public static void AddTesseraTracing(this IServiceCollection services, TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.OtlpEndpoint is { } endpoint)
        {
            services.AddTesseraTracing(options, tracing => tracing.AddOtlpExporter(otlp =>
            {
                otlp.Endpoint = endpoint;
                otlp.Protocol = OtlpExportProtocol.Grpc;
            }));
        }
    }

    /// <summary>Tracing exported by <paramref name="export"/>: the OTLP exporter, or a test's in-memory one.</summary>
    public static void AddTesseraTracing(this IServiceCollection services, TesseraOptions options, Action<TracerProviderBuilder> export)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(export);
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource
                .AddService(ServiceName)
                .AddAttributes([new KeyValuePair<string, object>(ServicesAttribute, string.Join(',', options.Services.Order(StringComparer.Ordinal)))]))
            .WithTracing(tracing =>
            {
                tracing
                    .AddAspNetCoreInstrumentation(aspNetCore => aspNetCore.Filter = Traced)
                    .AddHttpClientInstrumentation()
                    .AddSource(Sources);
                export(tracing);
            });
    }

    /// <summary>Every call but health probes and metrics scrapes, which would bury the calls people trace.</summary>
    private static bool Traced(HttpContext context) =>
        !context.Request.Path.StartsWithSegments("/grpc.health.v1.Health", StringComparison.Ordinal)
        && !context.Request.Path.StartsWithSegments(ObservabilitySetup.MetricsPath, StringComparison.Ordinal);
}
