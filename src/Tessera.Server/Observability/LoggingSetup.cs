using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging.Console;

namespace Tessera.Server.Observability;

/// <summary>
/// Console logs: plain text by default, one JSON object per line with <c>--log-format json</c>. Each line written
/// during a call carries the call's trace and span ids (W3C, from the caller's <c>traceparent</c> when it sent one),
/// in its scope: the <c>=&gt; SpanId:…, TraceId:…</c> line in text, the <c>Scopes</c> array in JSON. The lines are the
/// framework's formatters' own; <see cref="BatchedConsoleLoggerProvider"/> writes them.
/// </summary>
public static class LoggingSetup
{
    public static void AddTesseraLogging(this WebApplicationBuilder builder, TesseraOptions options)
    {
        builder.Logging.Configure(logging => logging.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        if (options.JsonLogs)
        {
            builder.Logging.ClearProviders();
            builder.Logging.AddJsonConsole(json =>
            {
                json.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
                json.IncludeScopes = true;
            });
        }
        else
        {
            builder.Logging.AddSimpleConsole(text => text.IncludeScopes = true);
        }

        // The framework's formatters and options, written by a provider that batches its writes.
        foreach (var console in builder.Services.Where(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider)).ToList())
        {
            builder.Services.Remove(console);
        }

        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<ILoggerProvider, BatchedConsoleLoggerProvider>());
    }
}
