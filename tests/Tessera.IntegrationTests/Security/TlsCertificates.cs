using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Tessera.Cli.Certificates;

namespace Tessera.IntegrationTests.Security;

/// <summary>
/// Certificates for the TLS tests, in a temporary directory: the <c>tessera certs dev</c> set, a second such set
/// (another CA, which the first does not trust), and a server certificate from the first CA for another host name.
/// </summary>
public sealed class TlsCertificates : IDisposable
{
    public TlsCertificates()
    {
        DevCertificates.CreateIn(Directory);
        DevCertificates.CreateIn(Path.Combine(Directory, "other"));
        IssueServerCertificate("tessera.invalid", WrongNameCertificate, WrongNameKey);
    }

    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "tessera-tests", "tls-" + Guid.NewGuid().ToString("N"));

    public string Ca => Path.Combine(Directory, DevCertificates.CaFile);

    public string ServerCertificate => Path.Combine(Directory, DevCertificates.ServerFile);

    public string ServerKey => Path.Combine(Directory, DevCertificates.ServerKeyFile);

    public string ClientCertificate => Path.Combine(Directory, DevCertificates.ClientFile);

    public string ClientKey => Path.Combine(Directory, DevCertificates.ClientKeyFile);

    /// <summary>The CA of the second set, which did not sign the first set's certificates.</summary>
    public string OtherCa => Path.Combine(Directory, "other", DevCertificates.CaFile);

    public string OtherClientCertificate => Path.Combine(Directory, "other", DevCertificates.ClientFile);

    public string OtherClientKey => Path.Combine(Directory, "other", DevCertificates.ClientKeyFile);

    /// <summary>Signed by <see cref="Ca"/>, but only for the name tessera.invalid (not localhost or 127.0.0.1).</summary>
    public string WrongNameCertificate => Path.Combine(Directory, "wrong-name.pem");

    public string WrongNameKey => Path.Combine(Directory, "wrong-name-key.pem");

    /// <summary>Server arguments for TLS with the first set (and client certificates required when <paramref name="mutual"/>), auth off.</summary>
    public string[] ServerArgs(bool mutual = false, string auth = "none") =>
    [
        "--urls", "https://127.0.0.1:0", "--tls-cert", ServerCertificate, "--tls-key", ServerKey, "--auth", auth,
        .. mutual ? ["--tls-client-ca", Ca] : Array.Empty<string>(),
    ];

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void IssueServerCertificate(string dnsName, string certificatePath, string keyPath)
    {
        using var ca = X509Certificate2.CreateFromPemFile(Ca, Path.Combine(Directory, DevCertificates.CaKeyFile));
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={dnsName}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(dnsName);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(DevCertificates.ServerAuthOid)], critical: false));
        using var certificate = request.Create(ca, DateTimeOffset.UtcNow.AddMinutes(-5), ca.NotAfter.AddMinutes(-1), [1, 2, 3, 4]);
        File.WriteAllText(certificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
    }
}
