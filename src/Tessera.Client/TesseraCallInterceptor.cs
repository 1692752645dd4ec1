using Grpc.Core;
using Grpc.Core.Interceptors;

namespace Tessera.Client;

/// <summary>
/// What <see cref="TesseraClient"/> does for every call of the commerce and monitoring clients it hands out:
/// sends its current bearer token, gives a unary call the client's default deadline when the caller set none,
/// and turns a failure into the <see cref="TesseraException"/> for its status (a call the caller cancelled,
/// into <see cref="OperationCanceledException"/>).
/// </summary>
internal sealed class TesseraCallInterceptor(Func<string?> accessToken, TimeSpan defaultDeadline) : Interceptor
{
    public override TResponse BlockingUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, BlockingUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var unary = Prepare(context, unary: true);
        try
        {
            return continuation(request, unary);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, unary.Options.CancellationToken);
        }
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncUnaryCallContinuation<TRequest, TResponse> continuation)
    {
        var unary = Prepare(context, unary: true);
        var call = continuation(request, unary);
        var cancellationToken = unary.Options.CancellationToken;
        return new AsyncUnaryCall<TResponse>(
            Translated(call.ResponseAsync, cancellationToken),
            Translated(call.ResponseHeadersAsync, cancellationToken),
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(
        TRequest request, ClientInterceptorContext<TRequest, TResponse> context, AsyncServerStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var streaming = Prepare(context, unary: false);
        var call = continuation(request, streaming);
        var cancellationToken = streaming.Options.CancellationToken;
        return new AsyncServerStreamingCall<TResponse>(
            new TranslatingReader<TResponse>(call.ResponseStream, cancellationToken),
            Translated(call.ResponseHeadersAsync, cancellationToken),
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncClientStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var streaming = Prepare(context, unary: false);
        var call = continuation(streaming);
        var cancellationToken = streaming.Options.CancellationToken;
        return new AsyncClientStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            Translated(call.ResponseAsync, cancellationToken),
            Translated(call.ResponseHeadersAsync, cancellationToken),
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(
        ClientInterceptorContext<TRequest, TResponse> context, AsyncDuplexStreamingCallContinuation<TRequest, TResponse> continuation)
    {
        var streaming = Prepare(context, unary: false);
        var call = continuation(streaming);
        var cancellationToken = streaming.Options.CancellationToken;
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(
            call.RequestStream,
            new TranslatingReader<TResponse>(call.ResponseStream, cancellationToken),
            Translated(call.ResponseHeadersAsync, cancellationToken),
            call.GetStatus,
            call.GetTrailers,
            call.Dispose);
    }

    /// <summary>The call's options with the bearer token added and, for a unary call, the default deadline if none was given.</summary>
    private ClientInterceptorContext<TRequest, TResponse> Prepare<TRequest, TResponse>(ClientInterceptorContext<TRequest, TResponse> context, bool unary)
        where TRequest : class
        where TResponse : class
    {
        var options = context.Options;
        if (accessToken() is { Length: > 0 } token)
        {
            var headers = new Metadata();
            foreach (var entry in options.Headers ?? [])
            {
                headers.Add(entry);
            }

            headers.Add("authorization", "Bearer " + token);
            options = options.WithHeaders(headers);
        }

        if (unary && options.Deadline is null && defaultDeadline > TimeSpan.Zero)
        {
            options = options.WithDeadline(DateTime.UtcNow + defaultDeadline);
        }

        return new ClientInterceptorContext<TRequest, TResponse>(context.Method, context.Host, options);
    }

    private static async Task<T> Translated<T>(Task<T> task, CancellationToken cancellationToken)
    {
        try
        {
            return await task.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }

    /// <summary>A response stream whose failures are <see cref="TesseraException"/>s.</summary>
    private sealed class TranslatingReader<T>(IAsyncStreamReader<T> inner, CancellationToken callCancellation) : IAsyncStreamReader<T>
    {
        public T Current => inner.Current;

        public async Task<bool> MoveNext(CancellationToken cancellationToken)
        {
            try
            {
                return await inner.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw RpcErrorTranslator.Translate(e, cancellationToken.IsCancellationRequested ? cancellationToken : callCancellation);
            }
        }
    }
}
