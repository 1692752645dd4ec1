using System.Diagnostics;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Tessera.Server.Observability;

/// <summary>
/// Logs one line per call of every kind at Information (see <see cref="CallLog"/>): method, peer, user, status and
/// duration. It sits outside <see cref="ErrorInterceptor"/>, so it sees the status the caller gets; exceptions
/// themselves are ErrorInterceptor's to log. Calls refused before reaching gRPC (authorization) are logged by
/// <see cref="GrpcMetricsMiddleware"/> with the same line.
/// </summary>
public sealed class LoggingInterceptor(ILogger<LoggingInterceptor> logger) : Interceptor
{
    /// <summary>Set on the HttpContext of a call this interceptor logs.</summary>
    internal static readonly object LoggedKey = new();

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        ObserveAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    private static StatusCode CodeOf(Exception e, ServerCallContext context) => e switch
    {
        RpcException rpc => rpc.StatusCode,
        OperationCanceledException => StatusCode.Cancelled,
        _ when context.CancellationToken.IsCancellationRequested => StatusCode.Cancelled,
        _ => StatusCode.Unknown,
    };

    private async Task<T> ObserveAsync<T>(ServerCallContext context, Func<Task<T>> call)
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
            CallLog.Call(logger, context.Method, context.Peer, CallLog.UserOf(http), GrpcStatusNames.Of(code), Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }
}
