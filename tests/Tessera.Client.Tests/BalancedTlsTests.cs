using Tessera.Cli.Certificates;
using Tessera.Client.Tests.Servers;

namespace Tessera.Client.Tests;

/// <summary>
/// TLS through balanced addresses, against a server with the certificate of <c>tessera certs dev</c> (for localhost,
/// 127.0.0.1 and ::1): a CA makes a <c>dns:///</c> address TLS; an https list is TLS.
/// </summary>
public sealed class BalancedTlsTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "tessera-client-tests", Guid.NewGuid().ToString("N"));
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));
    private ReplicaServer? _server;

    private ReplicaServer Server => _server ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        DevCertificates.CreateIn(_dir, days: 1);
        _server = await ReplicaServer.StartAsync("tls", File(DevCertificates.ServerFile), File(DevCertificates.ServerKeyFile));
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        _timeout.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string File(string name) => Path.Combine(_dir, name);

    [Fact]
    public async Task A_dns_address_with_a_ca_speaks_tls_trusting_that_ca()
    {
        using var client = new TesseraClient(new TesseraClientOptions
        {
            Address = $"dns:///localhost:{Server.Port}",
            CaCertificatePath = File(DevCertificates.CaFile),
        });

        var user = await client.GetUserAsync(1, _timeout.Token);

        Assert.Equal("tls", user.Username);
    }

    [Fact]
    public async Task A_dns_address_without_a_ca_speaks_plain_http2_which_a_tls_server_refuses()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = $"dns:///localhost:{Server.Port}" });

        await Assert.ThrowsAsync<UnavailableException>(() => client.GetUserAsync(1, _timeout.Token));
    }

    [Fact]
    public async Task A_list_of_https_addresses_with_a_ca_speaks_tls()
    {
        using var client = new TesseraClient(new TesseraClientOptions
        {
            Address = $"https://localhost:{Server.Port},https://127.0.0.1:{Server.Port}",
            CaCertificatePath = File(DevCertificates.CaFile),
        });

        var user = await client.GetUserAsync(1, _timeout.Token);

        Assert.Equal("tls", user.Username);
    }
}
