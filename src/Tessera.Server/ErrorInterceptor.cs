using System.Data.Common;
using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Tessera.Server;

/// <summary>
/// The last line for every call kind: an exception that is not already a gRPC status becomes INTERNAL (or
/// UNAVAILABLE when the store failed) with nothing internal in its message; the details go to the log.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, () => continuation(request, context));

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, () => continuation(requestStream, context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        Guard(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    private static bool ClientWentAway(ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested || context.GetHttpContext().RequestAborted.IsCancellationRequested;

    private async Task<T> Guard<T>(ServerCallContext context, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is not RpcException && ClientWentAway(context))
        {
            logger.LogDebug(e, "{Method} ended because the client cancelled or disconnected", context.Method);
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client"));
        }
        catch (Exception e) when (e is not RpcException)
        {
            var trace = context.GetHttpContext().TraceIdentifier;
            if (e is DbException)
            {
                logger.LogError(e, "Store failure in {Method} ({Trace})", context.Method, trace);
                throw new RpcException(new Status(StatusCode.Unavailable, $"the user store is unavailable; retry later (trace {trace})"));
            }

            logger.LogError(e, "Unhandled exception in {Method} ({Trace})", context.Method, trace);
            throw new RpcException(new Status(StatusCode.Internal, $"internal error; the server logged it as trace {trace}"));
        }
    }
}
