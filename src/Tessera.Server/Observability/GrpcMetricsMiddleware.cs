using Tessera.Contracts;
using System.Diagnostics;
using Grpc.AspNetCore.Server;
using Microsoft.AspNetCore.Http.Features;
using Tessera.Server.Operations;

namespace Tessera.Server.Observability;

/// <summary>
/// Counts every call, gRPC, gRPC-Web or REST (<c>grpc_requests_total</c>, <c>grpc_request_duration_seconds</c>,
/// <c>grpc_requests_in_flight</c>) around the whole endpoint, so calls that authorization refuses before the gRPC
/// pipeline are counted too. The status is the <c>grpc-status</c> the response ends with: a trailer, or a header for
/// a trailers-only response (a REST call's is kept by <see cref="Web.JsonStatus.Ended"/>). Every call is logged here
/// too, whether a service answered it or it was refused before (by the rate limit or authorization, or for no known
/// method): refusals in <see cref="RefusalLog"/>'s summary, others with the call line (<see cref="CallLog"/>; which
/// calls, <c>--call-log</c> says).
/// </summary>
public sealed class GrpcMetricsMiddleware(RequestDelegate next, GrpcMetrics metrics, RefusalLog refusals, ILoggerFactory loggers, TesseraOptions options, IServiceProvider services)
{
    private readonly ILogger logger = loggers.CreateLogger(CallLog.Category);

    /// <summary>monitoring.v1's count of calls, when this process serves it.</summary>
    private readonly Tessera.Monitoring.Metrics.CallMeter? monitored = services.GetService<Tessera.Monitoring.Metrics.CallMeter>();

    public async Task InvokeAsync(HttpContext context)
    {
        if (!GrpcRequest.IsCall(context))
        {
            await next(context);
            return;
        }

        var method = MethodOf(context);
        var counted = metrics.For(method);
        var started = Stopwatch.GetTimestamp();
        counted.InFlight.Inc();
        monitored?.Started();
        try
        {
            await next(context);
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            var status = StatusOf(context);
            counted.InFlight.Dec();
            counted.Duration.Observe(elapsed.TotalSeconds);
            counted.Requests(status).Inc();
            monitored?.Ended(method == GrpcMetrics.UnknownMethod ? null : method, elapsed.TotalMilliseconds);
            if (RefusalLog.IsRefusal(status))
            {
                var caller = Caller.Of(context);
                metrics.Refused.WithLabels(status, caller.IsUser ? "user" : "anonymous").Inc();
                refusals.Record(caller.ToString(), status);
            }
            else if (CallLog.Logs(options.CallLog, status))
            {
                var logged = method == GrpcMetrics.UnknownMethod ? context.Request.Path.Value ?? method : method;
                CallLog.Call(logger, logged, CallLog.PeerOf(context), CallLog.UserOf(context), status, elapsed.TotalMilliseconds);
            }
        }
    }

    /// <summary>The method's full name when a service implements it; "unknown" otherwise, so labels stay few.</summary>
    private static string MethodOf(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>()?.Method.FullName ?? GrpcMetrics.UnknownMethod;

    private static string StatusOf(HttpContext context)
    {
        // A REST call has no grpc-status: the status its handler ended with, or the one written before it ran.
        if (!GrpcRequest.Is(context) && context.Items[Web.JsonStatus.StatusKey] is string ended)
        {
            return ended;
        }

        var trailers = context.Features.Get<IHttpResponseTrailersFeature>()?.Trailers;
        if (trailers is not null && trailers.TryGetValue("grpc-status", out var trailer) && trailer.Count > 0)
        {
            return StatusCodeNames.Parse(trailer);
        }

        if (context.Response.Headers.TryGetValue("grpc-status", out var header) && header.Count > 0)
        {
            return StatusCodeNames.Parse(header);
        }

        if (context.RequestAborted.IsCancellationRequested)
        {
            return "CANCELLED";
        }

        // No gRPC status at all: what a gRPC client makes of the HTTP status (gRPC's http-grpc-status-mapping).
        return context.Response.StatusCode switch
        {
            400 => "INTERNAL",
            401 => "UNAUTHENTICATED",
            403 => "PERMISSION_DENIED",
            404 => "UNIMPLEMENTED",
            429 or 502 or 503 or 504 => "UNAVAILABLE",
            _ => "UNKNOWN",
        };
    }
}
