using Tessera.Monitoring.Metrics;

namespace Tessera.Monitoring.Tests;

public sealed class MetricNamingTests
{
    [Theory]
    [InlineData("/user.v1.UserService/GetUser", "users")]
    [InlineData("/auth.v1.AuthService/Login", "users")]
    [InlineData("/inventory.v1.InventoryService/CheckStock", "inventory")]
    [InlineData("/payment.v1.PaymentService/ProcessPayment", "payments")]
    [InlineData("/order.v1.OrderService/CreateOrder", "orders")]
    [InlineData("/monitoring.v1.MonitoringService/StreamLogs", "monitoring")]
    [InlineData("/grpc.health.v1.Health/Check", "process")]
    public void A_method_belongs_to_the_service_of_its_package(string method, string service) =>
        Assert.Equal(service, ServiceNames.OfMethod(method));

    [Fact]
    public void Exact_names_match_with_any_labels_and_prefixes_match_the_start()
    {
        var filter = new MetricFilter(["grpc.requests", "process.*"], "");
        Assert.True(filter.Matches("grpc.requests|method=/user.v1.UserService/GetUser"));
        Assert.False(filter.Matches("grpc.requests.rate|method=/user.v1.UserService/GetUser"));
        Assert.True(filter.Matches("process.cpu_percent"));
        Assert.False(filter.Matches("store.size_bytes|file=tessera.db"));
    }

    [Fact]
    public void Latency_quantiles_come_from_the_calls_between_two_readings()
    {
        var before = new long[LatencyBuckets.Count];
        var now = new long[LatencyBuckets.Count];
        now[LatencyBuckets.Of(1)] += 99;
        now[LatencyBuckets.Of(500)] += 1;
        Assert.InRange(LatencyBuckets.Quantile(now, before, 0.5), 1, 1.25);
        Assert.InRange(LatencyBuckets.Quantile(now, before, 0.995), 500, 625);
        Assert.Equal(0, LatencyBuckets.Quantile(now, now, 0.99));
    }
}
