using Tessera.Contracts;
using System.Diagnostics;
using Grpc.Core;
using Tessera.Server.Operations;

namespace Tessera.Server.Observability;

/// <summary>
/// Logs one line per call of every kind at Information (see <see cref="CallLog"/>; which calls, <c>--call-log</c>
/// says): method, peer, user, status and duration; refused calls are counted in <see cref="RefusalLog"/>'s summary instead. It sits outside <see cref="ErrorInterceptor"/>, so it sees the status the caller gets; exceptions
/// themselves are ErrorInterceptor's to log. Calls refused before reaching gRPC (authorization) are logged by
/// <see cref="GrpcMetricsMiddleware"/> with the same line.
/// </summary>
public sealed class LoggingInterceptor(ILogger<LoggingInterceptor> logger, RefusalLog refusals, TesseraOptions options) : CallInterceptor
{
    /// <summary>Set on the HttpContext of a call this interceptor logs; its value is the status name once the call ended.</summary>
    internal static readonly object LoggedKey = new();

    private static StatusCode CodeOf(Exception e, ServerCallContext context) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    protected override async Task<T> AroundAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var http = context.GetHttpContext();
        http.Items[LoggedKey] = true;
        var started = Stopwatch.GetTimestamp();
        var code = StatusCode.Unknown;
        try
        {
            var result = await call();
            code = context.Status.StatusCode;
            return result;
        }
        catch (Exception e)
        {
            code = CodeOf(e, context);
            throw;
        }
        finally
        {
            var status = code.Name();
            http.Items[LoggedKey] = status;
            if (RefusalLog.IsRefusal(status))
            {
                refusals.Record(Caller.Of(http).ToString(), status);
            }
            else if (CallLog.Logs(options.CallLog, status))
            {
                CallLog.Call(logger, context.Method, context.Peer, CallLog.UserOf(http), status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        }
    }
}
