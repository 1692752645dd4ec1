using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Tessera.Server.Operations;

namespace Tessera.Server;

/// <summary>
/// Kestrel's listeners: gRPC on <c>--urls</c> (HTTP/2 only; TLS when a certificate is given, with client
/// certificates required under <c>--tls-client-ca</c>), the web face on <c>--web-urls</c> (HTTP/1.1 in clear text;
/// with TLS, HTTP/1.1 and HTTP/2 by ALPN, and the same client-certificate rule) and /metrics on <c>--metrics-urls</c>
/// (HTTP/1.1). Cleartext HTTP/2 needs prior knowledge, which browsers and HTTP/1.1 clients do not have, so gRPC and the
/// web face cannot share a cleartext port.
/// </summary>
public static class KestrelSetup
{
    /// <summary>The request headers a call may carry in all, and in one field (README, "Limits").</summary>
    public const int MaxRequestHeaderBytes = 128 * 1024;

    public static void ConfigureTesseraKestrel(this WebApplicationBuilder builder, TesseraOptions options)
    {
        var certificate = options.TlsEnabled ? LoadCertificate(options) : null;
        var clientCa = options.TlsClientCa is { } caPath ? LoadCa(caPath) : null;
        var listeners = new Listeners();
        builder.Services.AddSingleton(listeners);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.Http2.MaxStreamsPerConnection = options.MaxConcurrentStreams;
            kestrel.Limits.Http2.KeepAlivePingDelay = TimeSpan.FromSeconds(30);
            kestrel.Limits.Http2.KeepAlivePingTimeout = TimeSpan.FromSeconds(10);
            // Request headers up to 128 KiB (Kestrel's defaults: 32 KiB in all, 16 KiB a field). Kestrel cannot refuse
            // one stream's header block over its limit: it closes the whole connection (GOAWAY), failing every other
            // call on it. Clients that honour the SETTINGS_MAX_HEADER_LIST_SIZE it advertises (.NET) fail such a call
            // themselves; others (grpcio) send it. A 100 KB authorization header is then answered, by the token check.
            kestrel.Limits.MaxRequestHeadersTotalSize = MaxRequestHeaderBytes;
            kestrel.Limits.Http2.MaxRequestHeaderFieldSize = MaxRequestHeaderBytes;
            foreach (var url in options.Urls)
            {
                Listen(kestrel, url, listen =>
                {
                    listen.Protocols = HttpProtocols.Http2;
                    listeners.Tag(listen, ListenerRole.Grpc, certificate is not null);
                    if (certificate is not null)
                    {
                        listen.UseHttps(https => ConfigureHttps(https, certificate, clientCa));
                    }
                    else if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new OptionsException($"{url} asks for TLS: give --tls-cert and --tls-key");
                    }
                });
            }

            foreach (var url in options.WebUrls)
            {
                Listen(kestrel, url, listen =>
                {
                    listeners.Tag(listen, ListenerRole.Web, certificate is not null);
                    if (certificate is not null)
                    {
                        listen.Protocols = HttpProtocols.Http1AndHttp2;
                        listen.UseHttps(https => ConfigureHttps(https, certificate, clientCa));
                    }
                    else if (url.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                    {
                        throw new OptionsException($"--web-urls {url} asks for TLS: give --tls-cert and --tls-key");
                    }
                    else
                    {
                        listen.Protocols = HttpProtocols.Http1;
                    }
                });
            }

            foreach (var url in options.MetricsUrls)
            {
                Listen(kestrel, url, listen =>
                {
                    listen.Protocols = HttpProtocols.Http1;
                    listeners.Tag(listen, ListenerRole.Metrics, tls: false);
                });
            }
        });
    }

    private static void Listen(KestrelServerOptions kestrel, string url, Action<ListenOptions> configure)
    {
        if (!Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            || uri.Scheme is not ("http" or "https"))
        {
            throw new OptionsException($"'{url}' is not a URL such as http://127.0.0.1:50051");
        }

        if (uri.Host == "localhost")
        {
            kestrel.ListenLocalhost(uri.Port, configure);
        }
        else if (IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, uri.Port, configure);
        }
        else
        {
            throw new OptionsException($"'{url}': listen on an IP address or localhost, not a host name");
        }
    }

    private static void ConfigureHttps(HttpsConnectionAdapterOptions https, X509Certificate2 certificate, X509Certificate2? clientCa)
    {
        https.ServerCertificate = certificate;
        if (clientCa is null)
        {
            return;
        }

        https.ClientCertificateMode = ClientCertificateMode.RequireCertificate;
        https.ClientCertificateValidation = (presented, _, _) =>
        {
            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(clientCa);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(presented);
        };
    }

    private static X509Certificate2 LoadCertificate(TesseraOptions options)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(options.TlsCertificate!, options.TlsKey);
            // Re-import so the private key is usable by SslStream on every platform.
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new StartupException($"cannot load the TLS certificate {options.TlsCertificate} with key {options.TlsKey}: {e.Message}", e);
        }
    }

    private static X509Certificate2 LoadCa(string path)
    {
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            throw new StartupException($"cannot load the client CA certificate {path}: {e.Message}", e);
        }
    }
}
