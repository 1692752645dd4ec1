using Grpc.Core;
using Prometheus;

namespace Tessera.Server.Observability;

/// <summary>
/// Counts the messages of streaming calls (<c>grpc_stream_messages_received_total</c> for client streams,
/// <c>grpc_stream_messages_sent_total</c> for server streams) by wrapping the call's reader and writer (applied by
/// <see cref="CallInterceptor"/>). Calls themselves (count, duration, in flight) are counted by
/// <see cref="GrpcMetricsMiddleware"/>.
/// </summary>
public static class StreamCounting
{
    public static IAsyncStreamReader<T> Reader<T>(IAsyncStreamReader<T> reader, GrpcMetrics metrics, ServerCallContext context) =>
        new CountingStreamReader<T>(reader, metrics.StreamMessagesReceived.WithLabels(context.Method));

    public static IServerStreamWriter<T> Writer<T>(IServerStreamWriter<T> writer, GrpcMetrics metrics, ServerCallContext context) =>
        new CountingStreamWriter<T>(writer, metrics.StreamMessagesSent.WithLabels(context.Method), Operations.GrpcRequest.Is(context.GetHttpContext()));

    private sealed class CountingStreamReader<T>(IAsyncStreamReader<T> inner, Counter.Child received) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            var moved = await inner.MoveNext(cancellationToken);
            if (moved)
            {
                received.Inc();
            }

            return moved;
        }
    }

    /// <summary>
    /// Counts what is written. Write options (buffering hints) reach gRPC's writer only: JSON transcoding's writer has
    /// none and throws, so for REST calls the hint is kept here and has no effect.
    /// </summary>
    private sealed class CountingStreamWriter<T>(IServerStreamWriter<T> inner, Counter.Child sent, bool takesWriteOptions) : IServerStreamWriter<T>
    {
        private WriteOptions? ignored;

        public WriteOptions? WriteOptions
        {
            get => takesWriteOptions ? inner.WriteOptions : ignored;
            set
            {
                if (takesWriteOptions)
                {
                    inner.WriteOptions = value;
                }
                else
                {
                    ignored = value;
                }
            }
        }

        public async Task WriteAsync(T message)
        {
            await inner.WriteAsync(message);
            sent.Inc();
        }

        public async Task WriteAsync(T message, CancellationToken cancellationToken)
        {
            await inner.WriteAsync(message, cancellationToken);
            sent.Inc();
        }
    }
}
