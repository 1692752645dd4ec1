using Grpc.Core;

namespace Tessera.Testing;

/// <summary>The two ends of a fake duplex call: what the client wrote, and the messages (and end) the test sends back.</summary>
internal sealed class FakeDuplexStream<TRequest, TResponse>
{
    public RecordingStreamWriter<TRequest> Writer { get; } = new();

    public FakeStreamReader<TResponse> Reader { get; } = new();

    /// <summary>The call's status once it has ended; null while it runs (GetStatus then throws, as in Grpc.Net.Client).</summary>
    public Status? EndStatus { get; set; }

    public Status GetStatus() => EndStatus ?? throw new InvalidOperationException("the call is still in progress");
}
