using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Tessera.Cli.Certificates;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera certs dev</c>: what it writes, that the certificates are what TLS and mTLS need, and that it never overwrites by accident.</summary>
public sealed class CertsCommandTests : IDisposable
{
    private readonly CliHarness _cli = new();
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _cli.Dispose();
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    [Fact]
    public async Task Writes_the_six_files_and_prints_them_with_the_flags_to_use()
    {
        var code = await _cli.RunAsync("certs", "dev", "--out", _dir);

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal("", _cli.Error.ToString());
        var output = _cli.Out.ToString();
        foreach (var name in new[] { "ca.pem", "ca-key.pem", "server.pem", "server-key.pem", "client.pem", "client-key.pem" })
        {
            Assert.True(File.Exists(Path.Combine(_dir, name)), name);
            Assert.Contains("wrote " + Path.Combine(_dir, name), output, StringComparison.Ordinal);
        }

        Assert.Contains($"--tls-cert {Path.Combine(_dir, "server.pem")} --tls-key {Path.Combine(_dir, "server-key.pem")}", output, StringComparison.Ordinal);
        Assert.Contains($"--tls-client-ca {Path.Combine(_dir, "ca.pem")}", output, StringComparison.Ordinal);
        Assert.Contains($"--ca {Path.Combine(_dir, "ca.pem")}", output, StringComparison.Ordinal);
        Assert.Contains($"--cert {Path.Combine(_dir, "client.pem")} --key {Path.Combine(_dir, "client-key.pem")}", output, StringComparison.Ordinal);
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task The_server_certificate_chains_to_the_ca_and_names_localhost_127_0_0_1_and_ipv6_loopback_for_server_auth()
    {
        await _cli.RunAsync("certs", "dev", "--out", _dir);
        using var ca = Load("ca.pem", "ca-key.pem");
        using var server = Load("server.pem", "server-key.pem");

        Assert.True(Chains(server, ca), "server.pem must chain to ca.pem");
        Assert.Equal("CN=localhost", server.Subject);
        var names = server.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        Assert.Equal(["localhost"], names.EnumerateDnsNames().ToArray());
        Assert.Equal([IPAddress.Loopback, IPAddress.IPv6Loopback], names.EnumerateIPAddresses());
        Assert.Equal(["1.3.6.1.5.5.7.3.1"], Usages(server).ToArray()); // serverAuth
        Assert.True(server.MatchesHostname("localhost") && server.MatchesHostname("127.0.0.1") && server.MatchesHostname("::1"));
        Assert.False(server.MatchesHostname("example.com"));
        Assert.False(IsCa(server));
    }

    [Fact]
    public async Task The_client_certificate_is_tessera_dev_client_for_client_auth_and_chains_to_the_ca()
    {
        await _cli.RunAsync("certs", "dev", "--out", _dir);
        using var ca = Load("ca.pem", "ca-key.pem");
        using var client = Load("client.pem", "client-key.pem");

        Assert.True(Chains(client, ca), "client.pem must chain to ca.pem");
        Assert.Equal("tessera-dev-client", client.GetNameInfo(X509NameType.SimpleName, forIssuer: false));
        Assert.Equal(["1.3.6.1.5.5.7.3.2"], Usages(client).ToArray()); // clientAuth
        Assert.True(IsCa(ca));
        Assert.Equal(ca.Subject, ca.Issuer);
    }

    [Fact]
    public async Task The_keys_are_pkcs8_pem_that_match_their_certificates_and_only_the_owner_may_read_them()
    {
        await _cli.RunAsync("certs", "dev", "--out", _dir);

        foreach (var (certificate, key) in new[] { ("ca.pem", "ca-key.pem"), ("server.pem", "server-key.pem"), ("client.pem", "client-key.pem") })
        {
            var pem = await File.ReadAllTextAsync(Path.Combine(_dir, key));
            Assert.StartsWith("-----BEGIN PRIVATE KEY-----", pem, StringComparison.Ordinal);
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            using var loaded = Load(certificate, key); // throws if the key does not match the certificate
            Assert.True(loaded.HasPrivateKey);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, key)));
                Assert.Equal(UnixFileMode.None, File.GetUnixFileMode(Path.Combine(_dir, certificate)) & (UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
            }
        }
    }

    [Fact]
    public async Task Days_sets_how_long_the_certificates_are_valid()
    {
        var before = DateTime.UtcNow;
        await _cli.RunAsync("certs", "dev", "--out", _dir, "--days", "30");
        using var server = Load("server.pem", "server-key.pem");

        Assert.InRange(server.NotAfter.ToUniversalTime(), before.AddDays(30).AddSeconds(-2), DateTime.UtcNow.AddDays(30).AddSeconds(1));
        Assert.True(server.NotBefore.ToUniversalTime() <= before, "valid from a little before now");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("3651")]
    [InlineData("soon")]
    public async Task Bad_days_are_a_usage_error_and_write_nothing(string days)
    {
        Assert.Equal(ExitCodes.Usage, await _cli.RunAsync("certs", "dev", "--out", _dir, "--days", days));
        Assert.False(Directory.Exists(_dir));
    }

    [Fact]
    public async Task Existing_files_are_not_overwritten_without_force()
    {
        await _cli.RunAsync("certs", "dev", "--out", _dir);
        var before = await File.ReadAllTextAsync(Path.Combine(_dir, "ca-key.pem"));
        File.Delete(Path.Combine(_dir, "client.pem")); // even one file left is reason to refuse
        using var cli = new CliHarness();

        var code = await cli.RunAsync("certs", "dev", "--out", _dir);

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("--force", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_dir, "ca-key.pem"), cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", cli.Out.ToString());
        Assert.Equal(before, await File.ReadAllTextAsync(Path.Combine(_dir, "ca-key.pem")));
        Assert.False(File.Exists(Path.Combine(_dir, "client.pem")), "nothing is written when refusing");
    }

    [Fact]
    public async Task Force_replaces_them_with_a_new_set_and_keeps_keys_private()
    {
        await _cli.RunAsync("certs", "dev", "--out", _dir);
        var before = await File.ReadAllTextAsync(Path.Combine(_dir, "ca-key.pem"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(Path.Combine(_dir, "server-key.pem"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        }

        using var cli = new CliHarness();
        Assert.Equal(ExitCodes.Ok, await cli.RunAsync("certs", "dev", "--out", _dir, "--force"));

        Assert.NotEqual(before, await File.ReadAllTextAsync(Path.Combine(_dir, "ca-key.pem")));
        using var ca = Load("ca.pem", "ca-key.pem");
        using var server = Load("server.pem", "server-key.pem");
        Assert.True(Chains(server, ca));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_dir, "server-key.pem")));
        }
    }

    [Fact]
    public async Task Json_output_lists_the_files()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("certs", "dev", "--out", _dir, "-o", "json"));

        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal(DevCertificates.FileNames.Select(name => Path.Combine(_dir, name)), json.RootElement.GetProperty("files").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void A_certificate_from_another_dev_ca_does_not_chain()
    {
        var first = DevCertificates.Create(1, DateTimeOffset.UtcNow);
        var second = DevCertificates.Create(1, DateTimeOffset.UtcNow);
        using var ca = X509Certificate2.CreateFromPem(first.Single(f => f.Name == "ca.pem").Contents);
        using var foreign = X509Certificate2.CreateFromPem(second.Single(f => f.Name == "server.pem").Contents);

        Assert.False(Chains(foreign, ca));
    }

    private X509Certificate2 Load(string certificate, string key) =>
        X509Certificate2.CreateFromPemFile(Path.Combine(_dir, certificate), Path.Combine(_dir, key));

    private static bool Chains(X509Certificate2 leaf, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(leaf);
    }

    private static List<string> Usages(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single().EnhancedKeyUsages.Cast<Oid>().Select(o => o.Value ?? "").ToList();

    private static bool IsCa(X509Certificate2 certificate) =>
        certificate.Extensions.OfType<X509BasicConstraintsExtension>().Single().CertificateAuthority;
}
