using Grpc.Core;
using Grpc.Core.Interceptors;
using Tessera.Server.Operations;

namespace Tessera.Server.Web;

/// <summary>
/// A server stream called over REST writes through JSON transcoding's stream writer, which throws
/// NotImplementedException when a service sets <see cref="IServerStreamWriter{T}.WriteOptions"/> (ListUsers asks for
/// buffered writes that way). A write option is a hint, and transcoding writes each message as one line of JSON
/// anyway, so over REST the hint is kept here and not passed on. gRPC and gRPC-Web calls pass untouched.
/// </summary>
public sealed class TranscodedStreamInterceptor : Interceptor
{
    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        GrpcRequest.Is(context.GetHttpContext())
            ? continuation(request, responseStream, context)
            : continuation(request, new HintlessWriter<TResponse>(responseStream), context);

    private sealed class HintlessWriter<T>(IServerStreamWriter<T> inner) : IServerStreamWriter<T>
    {
        public WriteOptions? WriteOptions { get; set; }

        public Task WriteAsync(T message) => inner.WriteAsync(message);

        public Task WriteAsync(T message, CancellationToken cancellationToken) => inner.WriteAsync(message, cancellationToken);
    }
}
