using Grpc.Core;
using Grpc.Core.Interceptors;
using Tessera.Server.Observability;
using Tessera.Server.Operations;
using Tessera.Server.Web;

namespace Tessera.Server;

/// <summary>
/// The one interceptor every call runs through, of every kind: an exception that is not a gRPC status becomes one
/// (<see cref="CallErrors"/>), streamed messages are counted (<see cref="StreamCounting"/>), and a REST call gets its
/// <c>ETag</c> and <c>If-Match</c> handling (<see cref="EtagHeaders"/>) and leaves the status it ended with for the
/// call's metrics and log line (gRPC calls carry theirs in the trailers). Streams are known to
/// <see cref="OpenStreams"/> while they run, so that stopping can reset those that cannot end. Calls are counted,
/// timed and logged around it by <see cref="GrpcMetricsMiddleware"/>.
/// <para>
/// One layer rather than one per concern: each interceptor is a step of gRPC's pipeline with its own async state,
/// delegates and lookup on every call. A gRPC unary call, the common case, takes one async step here.
/// </para>
/// </summary>
public sealed class CallInterceptor(CallErrors errors, GrpcMetrics metrics, OpenStreams streams) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var http = context.GetHttpContext();
        return GrpcRequest.Is(http) ? UnaryAsync(request, context, continuation) : RestUnaryAsync(request, context, http, continuation);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation) =>
        StreamAsync(context, () => continuation(StreamCounting.Reader(requestStream, metrics, context), context));

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation) =>
        StreamAsync(context, async () =>
        {
            await continuation(request, StreamCounting.Writer(responseStream, metrics, context), context);
            return true;
        });

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation) =>
        StreamAsync(context, async () =>
        {
            await continuation(StreamCounting.Reader(requestStream, metrics, context), StreamCounting.Writer(responseStream, metrics, context), context);
            return true;
        });

    private async Task<TResponse> UnaryAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        try
        {
            return await continuation(request, context);
        }
        catch (Exception e) when (e is not RpcException)
        {
            throw errors.Translate(e, context);
        }
    }

    private async Task<TResponse> RestUnaryAsync<TRequest, TResponse>(TRequest request, ServerCallContext context, HttpContext http, UnaryServerMethod<TRequest, TResponse> continuation)
        where TRequest : class
        where TResponse : class
    {
        var guarded = false;
        try
        {
            guarded = EtagHeaders.ApplyIfMatch(request, http);
            var response = await continuation(request, context);
            EtagHeaders.Answer(response, http);
            JsonStatus.Ended(http, context.Status.StatusCode);
            return response;
        }
        catch (Exception e)
        {
            var status = Ended(e, context, http);
            if (guarded && status.StatusCode == StatusCode.Aborted)
            {
                EtagHeaders.PreconditionFailed(http);
            }

            if (status == e)
            {
                throw;
            }

            throw status;
        }
    }

    private async Task<T> StreamAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        var http = context.GetHttpContext();
        streams.Opened(http);
        try
        {
            var result = await call();
            JsonStatus.Ended(http, context.Status.StatusCode);
            return result;
        }
        catch (Exception e)
        {
            var status = Ended(e, context, http);
            if (status == e)
            {
                throw;
            }

            throw status;
        }
        finally
        {
            streams.Closed(http);
        }
    }

    /// <summary>The status a call that threw <paramref name="e"/> ends with, kept for a REST call's metrics and log line.</summary>
    private RpcException Ended(Exception e, ServerCallContext context, HttpContext http)
    {
        var status = e as RpcException ?? errors.Translate(e, context);
        JsonStatus.Ended(http, status.StatusCode);
        return status;
    }
}
