using Grpc.Net.Client;

namespace Tessera.Client;

/// <summary>
/// Makes the <see cref="GrpcChannel"/> a <see cref="TesseraClient"/> uses: keepalive on, several HTTP/2 connections
/// allowed, and over https the trusted CA and client certificate of the options.
/// </summary>
public static class TesseraChannel
{
    /// <summary>A channel to <see cref="TesseraClientOptions.Address"/>; the caller owns (and disposes) it.</summary>
    /// <exception cref="InvalidOperationException">
    /// A CA or client certificate is set for an http:// address, or a certificate or key file cannot be loaded.
    /// </exception>
    public static GrpcChannel Create(TesseraClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = NormalizeAddress(options.Address, TesseraTls.IsConfigured(options));
        return GrpcChannel.ForAddress(address, new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(options, address),
            DisposeHttpClient = true,
        });
    }

    /// <summary>The address with <c>http://</c> prepended when it names no scheme (<c>host:port</c>).</summary>
    public static Uri NormalizeAddress(string address) => NormalizeAddress(address, tls: false);

    /// <summary>The address with <c>https://</c> (when <paramref name="tls"/>) or <c>http://</c> prepended when it names no scheme.</summary>
    public static Uri NormalizeAddress(string address, bool tls)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        var text = address.Contains("://", StringComparison.Ordinal) ? address : (tls ? "https://" : "http://") + address;
        return new Uri(text, UriKind.Absolute);
    }

    internal static SocketsHttpHandler CreateHandler(TesseraClientOptions options, Uri address)
    {
        var ssl = TesseraTls.CreateSslOptions(options);
        if (ssl is not null && address.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException($"a CA or client certificate is set, but {address} is not an https:// address");
        }

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
        if (ssl is not null)
        {
            handler.SslOptions = ssl;
        }

        return handler;
    }
}
