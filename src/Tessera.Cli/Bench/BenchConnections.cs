using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Client;

namespace Tessera.Cli.Bench;

/// <summary>
/// One channel per connection (made with the CLI's own TLS and keepalive settings), reused for every call of the run,
/// and the headers (the bearer token) every call carries.
/// </summary>
internal sealed class BenchConnections : IDisposable
{
    private readonly GrpcChannel[] channels;

    public BenchConnections(TesseraClientOptions options, int count, string? accessToken)
    {
        channels = [.. Enumerable.Range(0, count).Select(_ => TesseraChannel.Create(options))];
        Invokers = [.. channels.Select(channel => channel.CreateCallInvoker())];
        Headers = accessToken is { Length: > 0 } token ? new Metadata { { "authorization", "Bearer " + token } } : null;
    }

    public IReadOnlyList<CallInvoker> Invokers { get; }

    /// <summary>Sent with every call; read-only once made, so shared by all workers.</summary>
    public Metadata? Headers { get; }

    /// <summary>The invoker worker <paramref name="worker"/> uses: workers are spread round-robin over the connections.</summary>
    public CallInvoker For(int worker) => Invokers[worker % Invokers.Count];

    public CallOptions Options(CancellationToken cancellationToken) => new(Headers, cancellationToken: cancellationToken);

    /// <summary>Opens every connection now, so the first measured calls do not pay for it.</summary>
    public Task ConnectAsync(CancellationToken cancellationToken) => Task.WhenAll(channels.Select(channel => channel.ConnectAsync(cancellationToken)));

    public void Dispose()
    {
        foreach (var channel in channels)
        {
            channel.Dispose();
        }
    }
}
