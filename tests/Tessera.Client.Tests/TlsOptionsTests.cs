using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Certificates;

namespace Tessera.Client.Tests;

/// <summary>How the TLS options become the channel's SSL settings (the handshakes themselves are in the integration tests).</summary>
public sealed class TlsOptionsTests : IDisposable
{
    private static readonly TesseraAddress Https = TesseraAddress.Parse("https://127.0.0.1:50051", tlsConfigured: false);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tessera-client-tests", Guid.NewGuid().ToString("N"));

    public TlsOptionsTests() => DevCertificates.CreateIn(_dir, days: 1);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Without_tls_options_an_https_channel_keeps_the_defaults_the_system_trust_store_and_no_certificate()
    {
        using var handler = TesseraChannel.CreateHandler(new TesseraClientOptions { Address = Https.Target.ToString() }, Https);

        Assert.Null(handler.SslOptions.CertificateChainPolicy);
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
        Assert.Null(handler.SslOptions.ClientCertificates);
    }

    [Fact]
    public void A_ca_becomes_the_only_trusted_root_and_a_validation_callback_is_not_used()
    {
        using var handler = TesseraChannel.CreateHandler(new TesseraClientOptions { CaCertificatePath = File("ca.pem") }, Https);

        var policy = handler.SslOptions.CertificateChainPolicy;
        Assert.NotNull(policy);
        Assert.Equal(X509ChainTrustMode.CustomRootTrust, policy.TrustMode);
        using var ca = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(File("ca.pem")));
        Assert.Equal([ca.Thumbprint], policy.CustomTrustStore.Select(c => c.Thumbprint).ToArray());
        // The host name check stays SslStream's own: no callback that could skip it.
        Assert.Null(handler.SslOptions.RemoteCertificateValidationCallback);
    }

    [Fact]
    public void The_trust_policy_accepts_the_dev_server_certificate_and_rejects_one_from_another_ca()
    {
        using var handler = TesseraChannel.CreateHandler(new TesseraClientOptions { CaCertificatePath = File("ca.pem") }, Https);
        var otherDir = Path.Combine(_dir, "other");
        DevCertificates.CreateIn(otherDir, days: 1);
        using var server = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(File("server.pem")));
        using var foreign = X509Certificate2.CreateFromPem(System.IO.File.ReadAllText(Path.Combine(otherDir, "server.pem")));

        Assert.True(Builds(handler.SslOptions.CertificateChainPolicy!, server));
        Assert.False(Builds(handler.SslOptions.CertificateChainPolicy!, foreign));
    }

    [Fact]
    public void A_client_certificate_and_its_key_are_presented_whatever_the_server_asks_for()
    {
        using var handler = TesseraChannel.CreateHandler(
            new TesseraClientOptions { CaCertificatePath = File("ca.pem"), ClientCertificatePath = File("client.pem"), ClientKeyPath = File("client-key.pem") }, Https);

        var presented = Assert.IsType<X509Certificate2>(Assert.Single(handler.SslOptions.ClientCertificates!));
        Assert.True(presented.HasPrivateKey);
        Assert.Equal("tessera-dev-client", presented.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        var selected = handler.SslOptions.LocalCertificateSelectionCallback!(this, "127.0.0.1", [], null, []);
        Assert.Same(presented, selected);
    }

    [Fact]
    public void A_client_certificate_alone_leaves_the_system_trust_store_for_the_server()
    {
        var combined = File("combined.pem");
        System.IO.File.WriteAllText(combined, System.IO.File.ReadAllText(File("client.pem")) + System.IO.File.ReadAllText(File("client-key.pem")));

        using var handler = TesseraChannel.CreateHandler(new TesseraClientOptions { ClientCertificatePath = combined }, Https);

        Assert.Null(handler.SslOptions.CertificateChainPolicy);
        Assert.True(Assert.IsType<X509Certificate2>(Assert.Single(handler.SslOptions.ClientCertificates!)).HasPrivateKey);
    }

    [Fact]
    public void An_address_without_a_scheme_is_https_when_tls_options_are_set()
    {
        using var channel = TesseraChannel.Create(new TesseraClientOptions { Address = "localhost:50051", CaCertificatePath = File("ca.pem") });

        Assert.Equal(new Uri("https://localhost:50051/"), TesseraAddress.Parse("localhost:50051", tlsConfigured: true).Target);
        Assert.Equal("localhost:50051", channel.Target);
    }

    public static TheoryData<string, string> Unworkable => new()
    {
        { "http-with-ca", "is not an https:// address" },
        { "missing-ca", "cannot load the CA certificate" },
        { "ca-is-a-key", "holds no PEM certificate" },
        { "key-without-certificate", "needs its client certificate" },
        { "key-does-not-match", "cannot load the client certificate" },
        { "certificate-without-key", "cannot load the client certificate" },
    };

    [Theory]
    [MemberData(nameof(Unworkable))]
    public void Tls_options_that_cannot_work_fail_when_the_channel_is_made_saying_why(string @case, string expected)
    {
        var options = @case switch
        {
            "http-with-ca" => new TesseraClientOptions { Address = "http://127.0.0.1:50051", CaCertificatePath = File("ca.pem") },
            "missing-ca" => new TesseraClientOptions { Address = "https://127.0.0.1:50051", CaCertificatePath = File("nope.pem") },
            "ca-is-a-key" => new TesseraClientOptions { Address = "https://127.0.0.1:50051", CaCertificatePath = File("ca-key.pem") },
            "key-without-certificate" => new TesseraClientOptions { Address = "https://127.0.0.1:50051", ClientKeyPath = File("client-key.pem") },
            "key-does-not-match" => new TesseraClientOptions { Address = "https://127.0.0.1:50051", ClientCertificatePath = File("client.pem"), ClientKeyPath = File("server-key.pem") },
            _ => new TesseraClientOptions { Address = "https://127.0.0.1:50051", ClientCertificatePath = File("client.pem") },
        };

        var e = Assert.Throws<InvalidOperationException>(() => new TesseraClient(options));

        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static bool Builds(X509ChainPolicy policy, X509Certificate2 certificate)
    {
        using var chain = new X509Chain { ChainPolicy = policy.Clone() };
        return chain.Build(certificate);
    }
}
