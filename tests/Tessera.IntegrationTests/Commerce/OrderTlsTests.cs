using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Order.V1;
using Tessera.IntegrationTests.Security;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>
/// A TLS server whose certificate no system store trusts (the dev CA of <c>tessera certs dev</c>): the order service
/// calls its peers in this same process over https, trusting the server's own certificate.
/// </summary>
public sealed class OrderTlsTests(TlsCertificates certs) : IClassFixture<TlsCertificates>
{
    [Fact]
    public async Task An_order_on_a_tls_server_reaches_its_peers_over_https()
    {
        await using var server = TesseraServer.With(certs.ServerArgs());
        await server.InitializeAsync();
        using var channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpHandler = TrustingDevCa() });
        var inventory = new InventoryService.InventoryServiceClient(channel);
        var orders = new OrderService.OrderServiceClient(channel);
        var buyer = (await new Contracts.User.V1.UserService.UserServiceClient(channel).CreateUserAsync(
            new Contracts.User.V1.CreateUserRequest { Username = "tlsbuyer", Email = "tlsbuyer@example.com" })).User;
        await inventory.CreateProductAsync(new CreateProductRequest
        {
            Product = new Product { Sku = "tls-1", Name = "Lamp", Price = new MoneyProto { CurrencyCode = "USD", MinorUnits = 500 }, Available = 2, Active = true },
        });

        var request = OrdersServer.NewOrder("tls-1", 1, "tok_approve");
        request.UserId = buyer.Id;
        var order = (await orders.CreateOrderAsync(request)).Order;

        Assert.StartsWith("https://", server.Address, StringComparison.Ordinal);
        Assert.Equal(Order.Types.State.Confirmed, order.State);
        Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
    }

    private SocketsHttpHandler TrustingDevCa()
    {
        var policy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, RevocationMode = X509RevocationMode.NoCheck };
        policy.CustomTrustStore.ImportFromPemFile(certs.Ca);
        return new SocketsHttpHandler { SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy } };
    }
}
