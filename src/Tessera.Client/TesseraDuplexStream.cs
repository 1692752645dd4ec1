using Grpc.Core;

namespace Tessera.Client;

/// <summary>
/// An open bidirectional stream (chat, sync): send messages, complete the sending side, read what the
/// server sends. Failures surface as <see cref="TesseraException"/>. Dispose to cancel the call.
/// </summary>
public sealed class TesseraDuplexStream<TRequest, TResponse> : IDisposable
{
    private readonly CancellationToken _callToken;

    internal TesseraDuplexStream(AsyncDuplexStreamingCall<TRequest, TResponse> call, CancellationToken callToken)
    {
        Call = call;
        _callToken = callToken;
    }

    /// <summary>The underlying gRPC call, for headers, trailers and status.</summary>
    public AsyncDuplexStreamingCall<TRequest, TResponse> Call { get; }

    /// <summary>Sends one message. Do not send again before the previous send has completed.</summary>
    public Task SendAsync(TRequest message, CancellationToken cancellationToken = default) =>
        TesseraClient.WriteAsync(Call.RequestStream, message, Explain, Combine(cancellationToken));

    /// <summary>Tells the server the client will send no more; the server then ends its side.</summary>
    public async Task CompleteAsync()
    {
        try
        {
            await Call.RequestStream.CompleteAsync().ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, _callToken);
        }
    }

    /// <summary>Everything the server sends, until it ends the stream.</summary>
    public IAsyncEnumerable<TResponse> ReadAllAsync(CancellationToken cancellationToken = default) =>
        TesseraClient.ReadAllAsync(Call.ResponseStream, Combine(cancellationToken));

    /// <summary>Cancels the call if it is still running.</summary>
    public void Dispose() => Call.Dispose();

    private CancellationToken Combine(CancellationToken cancellationToken) =>
        cancellationToken.CanBeCanceled ? cancellationToken : _callToken;

    // Why a send failed: the status the call ended with, if it has ended (a duplex call has no response task).
    private Task<Exception> Explain(Exception writeFailure)
    {
        Exception result = writeFailure is RpcException rpc ? RpcErrorTranslator.Translate(rpc, _callToken) : writeFailure;
        try
        {
            var status = Call.GetStatus();
            if (status.StatusCode != StatusCode.OK)
            {
                result = RpcErrorTranslator.Translate(new RpcException(status, Trailers()), _callToken);
            }
        }
        catch (InvalidOperationException)
        {
            // Still running: the write failure is all there is to say.
        }

        return Task.FromResult(result);
    }

    // Trailers exist only when the server sent them; a status made on the client (no connection) has none.
    private Metadata Trailers()
    {
        try
        {
            return Call.GetTrailers();
        }
        catch (InvalidOperationException)
        {
            return [];
        }
    }
}
