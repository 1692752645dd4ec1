using System.Diagnostics;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Order.V1;
using Tessera.IntegrationTests.Commerce;
using Tessera.IntegrationTests.Security;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.IntegrationTests.Observability;

/// <summary>
/// One CreateOrder is one trace: every service in one process with auth on, the order's calls to users, inventory and
/// payments made over real gRPC hops, and the spans exported to memory as <c>--otlp-endpoint</c> would to a collector.
/// </summary>
public sealed class OrderTraceTests
{
    [Fact]
    public async Task One_CreateOrder_yields_one_trace_with_spans_from_all_three_services()
    {
        var shop = new AuthServer();
        var spans = shop.Server.ExportTraces();
        await shop.InitializeAsync();
        try
        {
            var inventory = new InventoryService.InventoryServiceClient(shop.Server.Channel);
            var sku = $"sku-{Guid.NewGuid().ToString("N")[..12]}";
            await inventory.CreateProductAsync(
                new CreateProductRequest
                {
                    Product = new Product { Sku = sku, Name = "Traced lamp", Price = new MoneyProto { CurrencyCode = "USD", MinorUnits = 1_000 }, Available = 3, Active = true },
                },
                AuthServer.Bearer(shop.Admin));

            var order = (await new OrderService.OrderServiceClient(shop.Server.Channel).CreateOrderAsync(
                OrdersServer.NewOrder(sku, 1, "tok_approve"), AuthServer.Bearer(shop.AliceTokens))).Order;
            Assert.Equal(Order.Types.State.Confirmed, order.State);

            var createOrder = await WaitForAsync(spans, span => IsServerSpanOf(span, "order.v1.OrderService/CreateOrder"));
            var trace = spans.ToArray().Where(span => span.TraceId == createOrder.TraceId).ToList();
            foreach (var call in new[]
            {
                "user.v1.UserService/GetUser",
                "inventory.v1.InventoryService/ReserveItems",
                "inventory.v1.InventoryService/CommitReservation",
                "payment.v1.PaymentService/ProcessPayment",
            })
            {
                Assert.True(
                    trace.Any(span => IsServerSpanOf(span, call)),
                    $"no server span for {call} in the order's trace; it holds: {Describe(trace)}");
            }

            // The services' own step spans are children within the same trace, each under a span of it.
            var ids = trace.Select(span => span.SpanId).ToHashSet();
            foreach (var source in new[] { "Tessera.Commerce.Orders", "Tessera.Commerce.Inventory", "Tessera.Commerce.Payments" })
            {
                var steps = trace.Where(span => span.Source.Name == source).ToList();
                Assert.True(steps.Count > 0, $"no {source} span in the order's trace; it holds: {Describe(trace)}");
                Assert.All(steps, step => Assert.Contains(step.ParentSpanId, ids));
            }
        }
        finally
        {
            await shop.DisposeAsync();
        }
    }

    private static bool IsServerSpanOf(Activity span, string method) =>
        span.Kind == ActivityKind.Server
        && $"{span.DisplayName} {span.GetTagItem("url.path")}".Contains(method, StringComparison.Ordinal);

    private static string Describe(IEnumerable<Activity> spans) =>
        string.Join(", ", spans.Select(span => $"{span.Source.Name}:{span.Kind}:{span.DisplayName}"));

    private static async Task<Activity> WaitForAsync(List<Activity> spans, Func<Activity, bool> match)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (spans.ToArray().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), $"no such span; exported: {Describe(spans.ToArray())}");
            await Task.Delay(20);
        }
    }
}
