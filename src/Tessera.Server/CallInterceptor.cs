using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Tessera.Server;

/// <summary>
/// An interceptor that treats every call kind alike: unary, server-streaming, client-streaming and duplex calls
/// all run through <see cref="AroundAsync{T}"/>, so the interceptors built on it cannot miss a kind.
/// </summary>
public abstract class CallInterceptor : Interceptor
{
    public sealed override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(context, () => continuation(request, context));

    public sealed override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(context, () => continuation(requestStream, context));

    public sealed override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(context, async () =>
        {
            await continuation(request, responseStream, context);
            return true;
        });

    public sealed override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        AroundAsync(context, async () =>
        {
            await continuation(requestStream, responseStream, context);
            return true;
        });

    /// <summary>Runs <paramref name="call"/> (the rest of the pipeline and the handler) for one call of any kind.</summary>
    protected abstract Task<T> AroundAsync<T>(ServerCallContext context, Func<Task<T>> call);
}
