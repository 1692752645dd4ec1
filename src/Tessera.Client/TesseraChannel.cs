using Grpc.Net.Client;

namespace Tessera.Client;

/// <summary>Makes the <see cref="GrpcChannel"/> a <see cref="TesseraClient"/> uses: keepalive on, several HTTP/2 connections allowed.</summary>
public static class TesseraChannel
{
    /// <summary>A channel to <see cref="TesseraClientOptions.Address"/>; the caller owns (and disposes) it.</summary>
    public static GrpcChannel Create(TesseraClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            // Ping even when no call is open (the seed's PermitWithoutStream), so a dead peer is noticed early.
            KeepAlivePingDelay = options.KeepAlivePingDelay,
            KeepAlivePingTimeout = options.KeepAlivePingTimeout,
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.Always,
            // Open another connection instead of queueing once a connection's stream limit is reached.
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        };
        return GrpcChannel.ForAddress(NormalizeAddress(options.Address), new GrpcChannelOptions
        {
            HttpHandler = handler,
            DisposeHttpClient = true,
        });
    }

    /// <summary>The address with <c>http://</c> prepended when it names no scheme (<c>host:port</c>).</summary>
    public static Uri NormalizeAddress(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Contains("://", StringComparison.Ordinal) ? address : "http://" + address;
        return new Uri(text, UriKind.Absolute);
    }
}
