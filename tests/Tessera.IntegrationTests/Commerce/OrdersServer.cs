using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Order.V1;
using Tessera.Contracts.Payment.V1;
using Tessera.IntegrationTests.Security;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>
/// One in-process server running every service with authentication on (an order's calls to users, inventory and
/// payments go over gRPC to this same process with service tokens), its admin and two users signed in, and clients
/// for the commerce services.
/// </summary>
public sealed class OrdersServer : IAsyncLifetime
{
    public AuthServer Auth { get; } = new();

    public TesseraServer Server => Auth.Server;

    public OrderService.OrderServiceClient Orders { get; private set; } = null!;

    public InventoryService.InventoryServiceClient Inventory { get; private set; } = null!;

    public PaymentService.PaymentServiceClient Payments { get; private set; } = null!;

    public Metadata Admin => AuthServer.Bearer(Auth.Admin);

    public Metadata Alice => AuthServer.Bearer(Auth.AliceTokens);

    public Metadata Bob => AuthServer.Bearer(Auth.BobTokens);

    public async Task InitializeAsync()
    {
        await Auth.InitializeAsync();
        Orders = new OrderService.OrderServiceClient(Server.Channel);
        Inventory = new InventoryService.InventoryServiceClient(Server.Channel);
        Payments = new PaymentService.PaymentServiceClient(Server.Channel);
    }

    public Task DisposeAsync() => Auth.DisposeAsync();

    /// <summary>A new product of a SKU of its own, priced in USD minor units, with <paramref name="available"/> in stock.</summary>
    public async Task<string> ProductAsync(long price, long available)
    {
        var sku = $"sku-{Guid.NewGuid().ToString("N")[..12]}";
        await Inventory.CreateProductAsync(
            new CreateProductRequest
            {
                Product = new Product { Sku = sku, Name = $"Product {sku}", Price = new MoneyProto { CurrencyCode = "USD", MinorUnits = price }, Available = available, Active = true },
            },
            Admin);
        return sku;
    }

    public async Task<long> AvailableAsync(string sku) =>
        (await Inventory.GetProductAsync(new GetProductRequest { Sku = sku }, Admin)).Product.Available;

    public async Task<Payment?> PaymentOfAsync(string orderId)
    {
        try
        {
            return (await Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = orderId }, Admin)).Payment;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public static CreateOrderRequest NewOrder(string sku, int quantity, string token) => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        Lines = { new OrderLine { Sku = sku, Quantity = quantity } },
        PaymentMethodToken = token,
    };
}
