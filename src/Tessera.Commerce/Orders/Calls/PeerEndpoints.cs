using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;

namespace Tessera.Commerce.Orders.Calls;

/// <summary>
/// Where the services an order calls are (<see cref="PeerAddresses"/>: --users-address, --inventory-address,
/// --payments-address) and how to reach them. An address not given is this process's own first listening address,
/// read from the server once it listens (so port 0 works), with a wildcard host (0.0.0.0, [::]) replaced by loopback.
/// <para>
/// TLS: an https peer is checked as the SDK checks a server (the system's trust store, host name included); besides,
/// when this server runs TLS (<c>--tls-cert</c>), a peer presenting one of the certificates in that file is trusted
/// too, so a self-signed certificate shared by Tessera's processes (and this process calling itself on 127.0.0.1)
/// works without a CA.
/// </para>
/// </summary>
public sealed class PeerEndpoints(IServer server, IConfiguration configuration)
{
    private readonly Lazy<X509Certificate2Collection> ownCertificates = new(() => LoadOwn(configuration["tls-cert"]));

    public Uri AddressOf(Uri? configured) => configured ?? Self();

    /// <summary>The HTTP/2 handler for one peer's channel: several connections when streams run out, TLS as described above.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        EnableMultipleHttp2Connections = true,
        PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan,
        KeepAlivePingDelay = TimeSpan.FromSeconds(60),
        KeepAlivePingTimeout = TimeSpan.FromSeconds(30),
        SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = Trusted },
    };

    private bool Trusted(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        if (certificate is null)
        {
            return false;
        }

        var presented = certificate.GetRawCertData();
        return ownCertificates.Value.Any(own => own.RawData.AsSpan().SequenceEqual(presented));
    }

    private Uri Self()
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("this server is not listening yet, so it cannot call itself; give the peer's address (--inventory-address, ...)");
        var uri = new UriBuilder(address.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal));
        uri.Host = uri.Host switch
        {
            "0.0.0.0" => "127.0.0.1",
            "[::]" or "::" => "[::1]",
            var host => host,
        };
        return uri.Uri;
    }

    private static X509Certificate2Collection LoadOwn(string? path)
    {
        var certificates = new X509Certificate2Collection();
        if (!string.IsNullOrEmpty(path))
        {
            certificates.ImportFromPemFile(path);
        }

        return certificates;
    }
}
