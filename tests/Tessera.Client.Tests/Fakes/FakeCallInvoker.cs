using Grpc.Core;

namespace Tessera.Testing;

/// <summary>
/// A CallInvoker that records every call (method, options, request) and answers from the handlers a
/// test sets; no network. Unary handlers return the response or throw an RpcException.
/// </summary>
internal sealed class FakeCallInvoker : CallInvoker
{
    public List<RecordedCall> Calls { get; } = [];

    /// <summary>Answers unary calls (blocking and async): (method name, request) to response.</summary>
    public Func<string, object, object> OnUnary { get; set; } = (method, _) => throw new InvalidOperationException($"no unary handler for {method}");

    /// <summary>Answers server-streaming calls with a <see cref="FakeStreamReader{T}"/>.</summary>
    public Func<string, object, object> OnServerStreaming { get; set; } = (method, _) => throw new InvalidOperationException($"no server-streaming handler for {method}");

    /// <summary>Answers client-streaming calls with a <see cref="FakeClientStream{TRequest, TResponse}"/>.</summary>
    public Func<string, object> OnClientStreaming { get; set; } = method => throw new InvalidOperationException($"no client-streaming handler for {method}");

    /// <summary>Answers duplex calls with a <see cref="FakeDuplexStream{TRequest, TResponse}"/>.</summary>
    public Func<string, object> OnDuplexStreaming { get; set; } = method => throw new InvalidOperationException($"no duplex handler for {method}");

    public RecordedCall LastCall => Calls[^1];

    public override TResponse BlockingUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add(new RecordedCall(method.Name, options, request, Blocking: true));
        return (TResponse)OnUnary(method.Name, request);
    }

    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add(new RecordedCall(method.Name, options, request, Blocking: false));
        Task<TResponse> response;
        try
        {
            response = Task.FromResult((TResponse)OnUnary(method.Name, request));
        }
        catch (RpcException e)
        {
            response = Task.FromException<TResponse>(e);
        }

        return new AsyncUnaryCall<TResponse>(response, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncServerStreamingCall<TResponse> AsyncServerStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
    {
        Calls.Add(new RecordedCall(method.Name, options, request, Blocking: false));
        var reader = (FakeStreamReader<TResponse>)OnServerStreaming(method.Name, request);
        return new AsyncServerStreamingCall<TResponse>(reader, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncClientStreamingCall<TRequest, TResponse> AsyncClientStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Calls.Add(new RecordedCall(method.Name, options, null, Blocking: false));
        var stream = (FakeClientStream<TRequest, TResponse>)OnClientStreaming(method.Name);
        return new AsyncClientStreamingCall<TRequest, TResponse>(stream.Writer, stream.Response.Task, Task.FromResult(new Metadata()), () => Status.DefaultSuccess, () => [], () => { });
    }

    public override AsyncDuplexStreamingCall<TRequest, TResponse> AsyncDuplexStreamingCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options)
    {
        Calls.Add(new RecordedCall(method.Name, options, null, Blocking: false));
        var stream = (FakeDuplexStream<TRequest, TResponse>)OnDuplexStreaming(method.Name);
        return new AsyncDuplexStreamingCall<TRequest, TResponse>(stream.Writer, stream.Reader, Task.FromResult(new Metadata()), stream.GetStatus, () => [], () => { });
    }
}

/// <summary>One call the fake saw: which method, with what options, and the request (null for client-side streams).</summary>
internal sealed record RecordedCall(string Method, CallOptions Options, object? Request, bool Blocking);
