using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Client;

/// <summary>
/// The TLS side of a channel: which CA to trust for the server's certificate (<see cref="TesseraClientOptions.CaCertificatePath"/>,
/// else the system's trust store) and which certificate to present for mutual TLS.
/// </summary>
internal static class TesseraTls
{
    /// <summary>True when the options ask for anything beyond the TLS defaults.</summary>
    public static bool IsConfigured(TesseraClientOptions options) =>
        !string.IsNullOrEmpty(options.CaCertificatePath) || !string.IsNullOrEmpty(options.ClientCertificatePath);

    /// <summary>
    /// The SSL options the options describe, or null when they describe none (then an https channel uses the
    /// system's trust store and presents no certificate).
    /// </summary>
    /// <exception cref="InvalidOperationException">A file is missing or is not a PEM certificate or key, or a key is given without its certificate.</exception>
    public static SslClientAuthenticationOptions? CreateSslOptions(TesseraClientOptions options)
    {
        if (!string.IsNullOrEmpty(options.ClientKeyPath) && string.IsNullOrEmpty(options.ClientCertificatePath))
        {
            throw new InvalidOperationException($"a client key ({options.ClientKeyPath}) needs its client certificate too");
        }

        if (!IsConfigured(options))
        {
            return null;
        }

        var ssl = new SslClientAuthenticationOptions();
        if (options.CaCertificatePath is { Length: > 0 } caPath)
        {
            // Trust only this CA for the server (not the system store); SslStream still checks the host name.
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
            };
            policy.CustomTrustStore.AddRange(LoadCa(caPath));
            ssl.CertificateChainPolicy = policy;
        }

        if (options.ClientCertificatePath is { Length: > 0 } certificatePath)
        {
            var certificate = LoadClientCertificate(certificatePath, NullIfEmpty(options.ClientKeyPath));
            ssl.ClientCertificates = [certificate];
            // Present it whatever CA names the server lists (Kestrel may list none).
            ssl.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        }

        return ssl;
    }

    private static X509Certificate2Collection LoadCa(string path)
    {
        var certificates = new X509Certificate2Collection();
        try
        {
            certificates.ImportFromPemFile(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException)
        {
            throw new InvalidOperationException($"cannot load the CA certificate {path}: {e.Message}", e);
        }

        return certificates.Count > 0
            ? certificates
            : throw new InvalidOperationException($"cannot load the CA certificate {path}: it holds no PEM certificate");
    }

    private static X509Certificate2 LoadClientCertificate(string certificatePath, string? keyPath)
    {
        try
        {
            using var pem = X509Certificate2.CreateFromPemFile(certificatePath, keyPath);
            // Re-import so SslStream can use the private key on every platform (an ephemeral key fails on Windows).
            return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            // ArgumentException: a key of the right kind that does not belong to the certificate.
            var key = keyPath is null ? "" : $" with key {keyPath}";
            throw new InvalidOperationException($"cannot load the client certificate {certificatePath}{key}: {e.Message}", e);
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
