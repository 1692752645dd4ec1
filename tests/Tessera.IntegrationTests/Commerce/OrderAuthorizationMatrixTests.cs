using Grpc.Core;
using Tessera.Contracts.Order.V1;
using static Tessera.IntegrationTests.Commerce.OrdersServer;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>
/// Every order RPC × {anonymous, the buyer, another user, admin} → the status the caller sees. The subject is a
/// fresh order of alice's (waiting for payment); "other" is bob. Permission comes before existence.
/// </summary>
public sealed class OrderAuthorizationMatrixTests(OrdersServer shop) : IClassFixture<OrdersServer>
{
    private const StatusCode Ok = StatusCode.OK;
    private const StatusCode Unauthenticated = StatusCode.Unauthenticated;
    private const StatusCode Denied = StatusCode.PermissionDenied;

    public static TheoryData<string, string, StatusCode> Matrix => new()
    {
        { "CreateOrder", "anonymous", Unauthenticated }, { "CreateOrder", "self", Ok }, { "CreateOrder", "admin", Ok },
        { "CreateOrder(for alice)", "self", Ok }, { "CreateOrder(for alice)", "other", Denied }, { "CreateOrder(for alice)", "admin", Ok },
        { "GetOrder", "anonymous", Unauthenticated }, { "GetOrder", "self", Ok }, { "GetOrder", "other", Denied }, { "GetOrder", "admin", Ok },
        { "GetOrder(unknown)", "self", Denied }, { "GetOrder(unknown)", "admin", StatusCode.NotFound },
        { "ListOrders", "anonymous", Unauthenticated }, { "ListOrders", "self", Ok }, { "ListOrders", "admin", Ok },
        { "ListOrders(alice)", "self", Ok }, { "ListOrders(alice)", "other", Denied }, { "ListOrders(alice)", "admin", Ok },
        { "ListOrders(all)", "self", Denied }, { "ListOrders(all)", "admin", Ok },
        { "ProcessPayment", "anonymous", Unauthenticated }, { "ProcessPayment", "self", Ok }, { "ProcessPayment", "other", Denied }, { "ProcessPayment", "admin", Ok },
        { "CancelOrder", "anonymous", Unauthenticated }, { "CancelOrder", "self", Ok }, { "CancelOrder", "other", Denied }, { "CancelOrder", "admin", Ok },
        { "CancelOrder(unknown)", "other", Denied }, { "CancelOrder(unknown)", "admin", StatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_the_expected_status(string rpc, string caller, StatusCode expected)
    {
        var sku = await shop.ProductAsync(price: 300, available: 5);
        var subject = (await shop.Orders.CreateOrderAsync(NewOrder(sku, 1, ""), shop.Alice)).Order;
        var headers = caller switch
        {
            "self" => shop.Alice,
            "other" => shop.Bob,
            "admin" => shop.Admin,
            _ => [],
        };
        var options = new CallOptions(headers, DateTime.UtcNow.AddSeconds(20));

        var actual = await Assertions.StatusOf(() => Call(rpc, subject, sku, options));

        Assert.True(expected == actual, $"{rpc} as {caller}: expected {expected}, got {actual}");
        Assert.True(shop.Server.Errors.IsEmpty, string.Join("\n", shop.Server.Errors));
    }

    private async Task Call(string rpc, Order subject, string sku, CallOptions options)
    {
        var orders = shop.Orders;
        switch (rpc)
        {
            case "CreateOrder":
                await orders.CreateOrderAsync(NewOrder(sku, 1, "tok_approve"), options);
                break;
            case "CreateOrder(for alice)":
                var forAlice = NewOrder(sku, 1, "tok_approve");
                forAlice.UserId = shop.Auth.Alice.Id;
                await orders.CreateOrderAsync(forAlice, options);
                break;
            case "GetOrder":
                await orders.GetOrderAsync(new GetOrderRequest { OrderId = subject.OrderId }, options);
                break;
            case "GetOrder(unknown)":
                await orders.GetOrderAsync(new GetOrderRequest { OrderId = "no-such-order" }, options);
                break;
            case "ListOrders":
                await orders.ListOrdersAsync(new ListOrdersRequest(), options);
                break;
            case "ListOrders(alice)":
                await orders.ListOrdersAsync(new ListOrdersRequest { UserId = shop.Auth.Alice.Id }, options);
                break;
            case "ListOrders(all)":
                await orders.ListOrdersAsync(new ListOrdersRequest { AllUsers = true }, options);
                break;
            case "ProcessPayment":
                await orders.ProcessPaymentAsync(new ProcessPaymentRequest { OrderId = subject.OrderId, PaymentMethodToken = "tok_approve" }, options);
                break;
            case "CancelOrder":
                await orders.CancelOrderAsync(new CancelOrderRequest { OrderId = subject.OrderId }, options);
                break;
            case "CancelOrder(unknown)":
                await orders.CancelOrderAsync(new CancelOrderRequest { OrderId = "no-such-order" }, options);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(rpc), rpc, null);
        }
    }
}
