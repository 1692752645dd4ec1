using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Contracts.Order.V1;
using Tessera.Testing;

namespace Tessera.Client.Tests;

/// <summary>The commerce and monitoring clients share the client's token, deadline and error translation.</summary>
public sealed class CommerceClientTests
{
    [Fact]
    public async Task Inventory_calls_carry_the_current_token_and_the_default_deadline()
    {
        var invoker = new FakeCallInvoker { OnUnary = (_, _) => new GetProductResponse { Product = new Product { Sku = "SKU-1" } } };
        using var client = new TesseraClient(invoker, new TesseraClientOptions { DefaultDeadline = TimeSpan.FromSeconds(4) });
        client.AccessToken = "tok-1";
        var before = DateTime.UtcNow;

        var response = await client.Inventory.GetProductAsync(new GetProductRequest { Sku = "SKU-1" });

        Assert.Equal("SKU-1", response.Product.Sku);
        var options = invoker.LastCall.Options;
        Assert.Equal("Bearer tok-1", options.Headers!.GetValue("authorization"));
        Assert.InRange(options.Deadline!.Value, before.AddSeconds(4), DateTime.UtcNow.AddSeconds(4));
    }

    [Fact]
    public async Task A_changed_token_applies_to_the_next_call_and_a_cleared_one_sends_none()
    {
        var invoker = new FakeCallInvoker { OnUnary = (_, _) => new GetOrderResponse { Order = new Order() } };
        using var client = new TesseraClient(invoker, new TesseraClientOptions { AccessToken = "old" });

        client.AccessToken = "new";
        await client.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "o1" });
        Assert.Equal("Bearer new", invoker.LastCall.Options.Headers!.GetValue("authorization"));

        client.AccessToken = null;
        await client.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "o1" });
        Assert.Null(invoker.LastCall.Options.Headers?.GetValue("authorization"));
    }

    [Fact]
    public async Task A_deadline_the_caller_gives_is_kept()
    {
        var invoker = new FakeCallInvoker { OnUnary = (_, _) => new GetOrderResponse { Order = new Order() } };
        using var client = new TesseraClient(invoker);
        var deadline = DateTime.UtcNow.AddMinutes(3);

        await client.Orders.GetOrderAsync(new GetOrderRequest { OrderId = "o1" }, deadline: deadline);

        Assert.Equal(deadline, invoker.LastCall.Options.Deadline);
    }

    [Fact]
    public async Task A_failed_async_call_throws_the_typed_exception_with_the_reason()
    {
        var invoker = new FakeCallInvoker
        {
            OnUnary = (_, _) => throw ServerErrors.Rich(StatusCode.FailedPrecondition, "SKU-1 has 2 left, 5 asked", "OUT_OF_STOCK"),
        };
        using var client = new TesseraClient(invoker);

        var error = await Assert.ThrowsAsync<TesseraException>(async () =>
            await client.Orders.CreateOrderAsync(new CreateOrderRequest { RequestId = "r1" }));

        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("OUT_OF_STOCK", error.Reason);
        Assert.Equal("SKU-1 has 2 left, 5 asked", error.Message);
    }

    [Fact]
    public void A_failed_blocking_call_throws_the_typed_exception()
    {
        var invoker = new FakeCallInvoker
        {
            OnUnary = (_, _) => throw ServerErrors.Rich(StatusCode.NotFound, "no product SKU-9", "PRODUCT_NOT_FOUND"),
        };
        using var client = new TesseraClient(invoker);

        var error = Assert.Throws<NotFoundException>(() => client.Inventory.GetProduct(new GetProductRequest { Sku = "SKU-9" }));

        Assert.Equal("PRODUCT_NOT_FOUND", error.Reason);
    }

    [Fact]
    public async Task Monitoring_streams_get_no_deadline_and_their_failures_are_typed()
    {
        var invoker = new FakeCallInvoker
        {
            OnServerStreaming = (_, _) => FakeStreamReader<MetricData>.Of([], ServerErrors.Rich(StatusCode.PermissionDenied, "admins only", "PERMISSION_DENIED")),
        };
        using var client = new TesseraClient(invoker, new TesseraClientOptions { AccessToken = "tok" });

        using var call = client.Monitoring.StreamMetrics(new StreamMetricsRequest());

        await Assert.ThrowsAsync<PermissionDeniedException>(() => call.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Null(invoker.LastCall.Options.Deadline);
        Assert.Equal("Bearer tok", invoker.LastCall.Options.Headers!.GetValue("authorization"));
    }
}
