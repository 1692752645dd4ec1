using Grpc.Core;

namespace Tessera.Testing;

/// <summary>A request stream that keeps what is written; can be told to fail the way a finished call's writer does.</summary>
internal sealed class RecordingStreamWriter<T> : IClientStreamWriter<T>
{
    public List<T> Written { get; } = [];

    public bool Completed { get; private set; }

    /// <summary>When set, every write throws this (Grpc.Net.Client throws on writes after the call ended).</summary>
    public Exception? FailWritesWith { get; set; }

    /// <summary>Called after each write and on complete; lets a test react (e.g. end the response stream).</summary>
    public Action<RecordingStreamWriter<T>>? OnChange { get; set; }

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled(cancellationToken);
        }

        if (FailWritesWith is not null)
        {
            return Task.FromException(FailWritesWith);
        }

        Written.Add(message);
        OnChange?.Invoke(this);
        return Task.CompletedTask;
    }

    public Task CompleteAsync()
    {
        Completed = true;
        OnChange?.Invoke(this);
        return Task.CompletedTask;
    }
}
