using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;
using Tessera.Client.Balancing;

namespace Tessera.Client;

/// <summary>
/// Makes the <see cref="GrpcChannel"/> a <see cref="TesseraClient"/> uses: keepalive on, several HTTP/2 connections
/// allowed, over TLS the trusted CA and client certificate of the options, and for a list of servers or a
/// <c>dns:///</c> name, calls balanced round-robin over them, skipping servers whose grpc.health.v1 status for
/// <see cref="TesseraClientOptions.HealthCheckService"/> is not SERVING.
/// </summary>
public static class TesseraChannel
{
    /// <summary>
    /// How often a <c>dns:///</c> name is resolved again, so replicas that came (a Kubernetes headless Service's
    /// records follow its ready pods) get calls within this time. It is also resolved again whenever a connection
    /// drops, so replicas that went are skipped at once.
    /// </summary>
    public static readonly TimeSpan DnsRefreshInterval = TimeSpan.FromSeconds(30);

    /// <summary>A channel to <see cref="TesseraClientOptions.Address"/>; the caller owns (and disposes) it.</summary>
    /// <exception cref="ArgumentException">The address is not one of the forms <see cref="TesseraClientOptions.Address"/> lists.</exception>
    /// <exception cref="InvalidOperationException">
    /// A CA or client certificate is set for an http:// address, or a certificate or key file cannot be loaded.
    /// </exception>
    public static GrpcChannel Create(TesseraClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var address = TesseraAddress.Parse(options.Address, TesseraTls.IsConfigured(options));
        var channelOptions = new GrpcChannelOptions
        {
            HttpHandler = CreateHandler(options, address),
            DisposeHttpClient = true,
        };
        if (!address.IsBalanced)
        {
            return GrpcChannel.ForAddress(address.Target, channelOptions);
        }

        // The scheme (dns, static) says nothing about TLS, so the channel is told; the handler's SslOptions
        // (CA, client certificate) apply either way.
        channelOptions.Credentials = address.Tls ? ChannelCredentials.SecureSsl : ChannelCredentials.Insecure;
        channelOptions.ServiceConfig = new ServiceConfig { LoadBalancingConfigs = { new RoundRobinConfig() } };
        ResolverFactory resolver = address.Servers is { } servers
            ? new StaticResolverFactory(_ => [.. servers.Select(server => new BalancerAddress(server.Host, server.Port))])
            : new DnsResolverFactory(DnsRefreshInterval);
        if (options.HealthCheckService is not { } service)
        {
            channelOptions.ServiceProvider = new BalancingServiceProvider(resolver, balancer: null);
            return GrpcChannel.ForAddress(address.Target, channelOptions);
        }

        var balancer = new HealthCheckedRoundRobinFactory(service);
        channelOptions.ServiceProvider = new BalancingServiceProvider(resolver, balancer);
        var channel = GrpcChannel.ForAddress(address.Target, channelOptions);
        balancer.SetChannel(channel);
        return channel;
    }

    internal static SocketsHttpHandler CreateHandler(TesseraClientOptions options, TesseraAddress address)
    {
        var ssl = TesseraTls.CreateSslOptions(options);
        if (ssl is not null && !address.Tls)
        {
            throw new InvalidOperationException($"a CA or client certificate is set, but {options.Address.Trim()} is not an https:// address");
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
