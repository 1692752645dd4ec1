using System.Threading.Channels;
using Grpc.Core;

namespace Tessera.Testing;

/// <summary>A response stream a test feeds: messages written in, then an end (or a failure).</summary>
internal sealed class FakeStreamReader<T> : IAsyncStreamReader<T>
{
    private readonly Channel<T> _messages = Channel.CreateUnbounded<T>();

    /// <summary>A stream that yields <paramref name="messages"/> and then ends, or fails with <paramref name="endWith"/>.</summary>
    public static FakeStreamReader<T> Of(IEnumerable<T> messages, Exception? endWith = null)
    {
        var reader = new FakeStreamReader<T>();
        foreach (var message in messages)
        {
            reader.Push(message);
        }

        reader.End(endWith);
        return reader;
    }

    public T Current { get; private set; } = default!;

    public void Push(T message) => _messages.Writer.TryWrite(message);

    public void End(Exception? failure = null) => _messages.Writer.TryComplete(failure);

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        try
        {
            if (!await _messages.Reader.WaitToReadAsync(cancellationToken))
            {
                return false;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw new RpcException(new Status(StatusCode.Cancelled, "Call canceled by the client."));
        }

        _messages.Reader.TryRead(out var message);
        Current = message!;
        return true;
    }
}
