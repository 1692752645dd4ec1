using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Cli.Certificates;

/// <summary>
/// A development PKI (<c>tessera certs dev</c>): a CA, a server certificate for localhost, 127.0.0.1 and ::1, and a
/// client certificate, both signed by the CA. ECDSA P-256 keys, PKCS#8 PEM. Not for production.
/// </summary>
/// <remarks>Self-contained (the integration tests compile this file too, to make the same certificates).</remarks>
internal static class DevCertificates
{
    public const string CaFile = "ca.pem";
    public const string CaKeyFile = "ca-key.pem";
    public const string ServerFile = "server.pem";
    public const string ServerKeyFile = "server-key.pem";
    public const string ClientFile = "client.pem";
    public const string ClientKeyFile = "client-key.pem";

    public const string CaName = "Tessera Development CA";
    public const string ClientName = "tessera-dev-client";
    public const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";
    public const string ClientAuthOid = "1.3.6.1.5.5.7.3.2";

    public const int DefaultDays = 365;
    public const int MaxDays = 3650;

    /// <summary>The names the server certificate is valid for.</summary>
    public static IReadOnlyList<string> ServerNames { get; } = ["localhost", "127.0.0.1", "::1"];

    /// <summary>The files, in the order they are written.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [CaFile, CaKeyFile, ServerFile, ServerKeyFile, ClientFile, ClientKeyFile];

    /// <summary>Makes a new CA and the two certificates it signs, valid from a few minutes before <paramref name="now"/> for <paramref name="days"/> days.</summary>
    public static IReadOnlyList<PemFile> Create(int days, DateTimeOffset now)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(days, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);

        // Whole seconds: a certificate stores no more, and an issued certificate may not outlive its issuer.
        var start = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds());
        var notBefore = start.AddMinutes(-5); // some leeway for clocks that are a little behind
        var notAfter = start.AddDays(days);

        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest($"CN={CaName}, O=Tessera development", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, hasPathLengthConstraint: true, pathLengthConstraint: 0, critical: true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, critical: true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, critical: false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var names = new SubjectAlternativeNameBuilder();
        foreach (var name in ServerNames)
        {
            if (IPAddress.TryParse(name, out var address))
            {
                names.AddIpAddress(address);
            }
            else
            {
                names.AddDnsName(name);
            }
        }

        var (server, serverKey) = Issue(ca, "CN=localhost", ServerAuthOid, names.Build(), notBefore, notAfter);
        var (client, clientKey) = Issue(ca, $"CN={ClientName}", ClientAuthOid, null, notBefore, notAfter);
        return
        [
            new PemFile(CaFile, ca.ExportCertificatePem() + "\n", IsPrivateKey: false),
            new PemFile(CaKeyFile, caKey.ExportPkcs8PrivateKeyPem() + "\n", IsPrivateKey: true),
            new PemFile(ServerFile, server, IsPrivateKey: false),
            new PemFile(ServerKeyFile, serverKey, IsPrivateKey: true),
            new PemFile(ClientFile, client, IsPrivateKey: false),
            new PemFile(ClientKeyFile, clientKey, IsPrivateKey: true),
        ];
    }

    /// <summary>
    /// Writes <paramref name="files"/> into <paramref name="directory"/> (made if missing), keys with mode 0600.
    /// Without <paramref name="force"/>, refuses (writing nothing) if any of them exists. Returns the paths written.
    /// </summary>
    /// <exception cref="IOException">A file exists (without <paramref name="force"/>) or cannot be written.</exception>
    public static IReadOnlyList<string> Write(string directory, IReadOnlyList<PemFile> files, bool force)
    {
        var paths = files.Select(file => Path.Combine(directory, file.Name)).ToList();
        var existing = paths.Where(File.Exists).ToList();
        if (existing.Count > 0 && !force)
        {
            throw new IOException($"not overwriting {string.Join(", ", existing)}: use --force to replace them");
        }

        Directory.CreateDirectory(directory);
        for (var i = 0; i < files.Count; i++)
        {
            WriteFile(paths[i], files[i], force);
        }

        return paths;
    }

    /// <summary>Makes the certificates and writes them; see <see cref="Create"/> and <see cref="Write"/>.</summary>
    public static IReadOnlyList<string> CreateIn(string directory, int days = DefaultDays, bool force = false) =>
        Write(directory, Create(days, DateTimeOffset.UtcNow), force);

    private static (string Certificate, string Key) Issue(
        X509Certificate2 ca, string subject, string usageOid, X509Extension? alternativeNames, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: false, hasPathLengthConstraint: false, pathLengthConstraint: 0, critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usageOid)], critical: false));
        if (alternativeNames is not null)
        {
            request.CertificateExtensions.Add(alternativeNames);
        }

        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        using var certificate = request.Create(ca, notBefore, notAfter, SerialNumber());
        return (certificate.ExportCertificatePem() + "\n", key.ExportPkcs8PrivateKeyPem() + "\n");
    }

    private static byte[] SerialNumber()
    {
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F; // positive, as RFC 5280 requires
        return serial;
    }

    private static void WriteFile(string path, PemFile file, bool force)
    {
        if (force)
        {
            File.Delete(path); // made anew, so a replaced key never sits under the old file's mode
        }

        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (file.IsPrivateKey && !OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using var writer = new StreamWriter(path, options);
        writer.Write(file.Contents);
    }
}
