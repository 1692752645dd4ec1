namespace Tessera.Testing;

/// <summary>The two ends of a fake client-streaming call: what the client wrote, and the response the test gives.</summary>
internal sealed class FakeClientStream<TRequest, TResponse>
{
    public RecordingStreamWriter<TRequest> Writer { get; } = new();

    public TaskCompletionSource<TResponse> Response { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
