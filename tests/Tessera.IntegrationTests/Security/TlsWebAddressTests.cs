using System.Net;
using System.Security.Cryptography.X509Certificates;
using Tessera.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Security;

/// <summary>
/// With TLS the web address speaks HTTP/1.1 and HTTP/2 (by ALPN), so one https address serves everything: gRPC,
/// REST and the console.
/// </summary>
public sealed class TlsWebAddressTests(TlsCertificates certs) : IClassFixture<TlsCertificates>
{
    [Fact]
    public async Task The_https_web_address_serves_grpc_over_http2_and_rest_over_http11()
    {
        await using var server = TesseraServer.With(certs.ServerArgs());
        await server.InitializeAsync();
        Assert.StartsWith("https://127.0.0.1:", server.WebAddress, StringComparison.Ordinal);

        using var grpc = new TesseraClient(new TesseraClientOptions { Address = server.WebAddress!, CaCertificatePath = certs.Ca, DefaultDeadline = TimeSpan.FromSeconds(10) });
        var created = (await grpc.CreateUserAsync(new CreateUserRequest { Username = "one-address", Email = "one-address@example.com" })).User;

        using var ca = X509CertificateLoader.LoadCertificateFromFile(certs.Ca);
        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, chain, _) =>
            {
                chain!.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                return chain.Build(presented!);
            },
        };
        using var http = new HttpClient(handler) { DefaultRequestVersion = HttpVersion.Version11, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync(new Uri($"{server.WebAddress}/v1/users/{created.Id}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpVersion.Version11, response.Version);
        Assert.Contains("\"username\":\"one-address\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(server.Errors);
    }
}
