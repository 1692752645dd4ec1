using System.Text.Json;
using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Money.V1;
using Tessera.Contracts.Order.V1;
using Tessera.Contracts.Payment.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera products|stock|orders|payments ...</c> over a fake server: what is sent, printed, and exited with.</summary>
public sealed class CommerceCommandsTests : IDisposable
{
    private static readonly Money Price = new() { CurrencyCode = "USD", MinorUnits = 1999 };

    private readonly CliHarness _cli = new();

    public CommerceCommandsTests()
    {
        _cli.Invoker.OnUnary = (method, request) => (method, request) switch
        {
            ("CreateProduct", CreateProductRequest create) => new CreateProductResponse { Product = create.Product },
            ("GetProduct", GetProductRequest { Sku: "MUG" }) => new GetProductResponse { Product = Mug() },
            ("GetProduct", GetProductRequest get) => throw ServerErrors.Rich(StatusCode.NotFound, $"no product {get.Sku}", "PRODUCT_NOT_FOUND"),
            ("UpdateProduct", UpdateProductRequest update) => new UpdateProductResponse { Product = update.Product },
            ("AdjustStock", AdjustStockRequest adjust) => new AdjustStockResponse { Product = Mug(available: 10 + adjust.Delta) },
            ("CheckStock", CheckStockRequest check) => new CheckStockResponse
            {
                Levels = { check.Skus.Select(sku => sku == "MUG" ? new StockLevel { Sku = sku, Found = true, Name = "Mug", Price = Price, Available = 10, Active = true } : new StockLevel { Sku = sku }) },
            },
            ("CreateOrder", CreateOrderRequest create) => new CreateOrderResponse { Order = OrderFor(create) },
            ("GetPayment", GetPaymentRequest get) => new GetPaymentResponse { Payment = new Payment { PaymentId = get.PaymentId, Amount = Price, Status = Payment.Types.Status.Captured } },
            ("RefundPayment", RefundPaymentRequest refund) => new RefundPaymentResponse
            {
                Refund = new Refund { RefundId = "rf-1", Amount = refund.Amount ?? Price },
                Payment = new Payment { PaymentId = refund.PaymentId, Amount = Price, RefundedAmount = refund.Amount ?? Price, Status = Payment.Types.Status.Refunded },
            },
            _ => throw new InvalidOperationException($"unexpected {method}"),
        };
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Products_create_sends_the_price_in_exact_minor_units_and_the_opening_stock()
    {
        var code = await _cli.RunAsync("products", "create", "--sku", "MUG", "--name", "Mug", "--price", "19.99 USD", "--stock", "10", "-o", "json");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(new CreateProductRequest { Product = Mug() }, _cli.Invoker.LastCall.Request);
        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal("1999", json.RootElement.GetProperty("price").GetProperty("minorUnits").GetString());
    }

    [Theory]
    [InlineData("products", "create", "--sku", "MUG", "--name", "Mug", "--price", "19.999 USD")]
    [InlineData("products", "create", "--sku", "MUG", "--name", "Mug", "--price", "19.99")]
    [InlineData("products", "update", "MUG")]
    [InlineData("stock", "adjust", "MUG", "--delta", "0")]
    [InlineData("stock", "check")]
    [InlineData("orders", "create", "--item", "MUG")]
    [InlineData("orders", "create", "--item", "MUG=0")]
    [InlineData("orders", "create", "--item", "MUG=1", "--item", "MUG=2")]
    [InlineData("orders", "list", "--state", "SHIPPED")]
    [InlineData("payments", "get")]
    [InlineData("payments", "refund", "pay-1", "--order", "o-1")]
    [InlineData("payments", "refund", "pay-1", "--amount", "5 EURO")]
    public async Task Bad_values_are_usage_errors_and_call_nothing(params string[] args)
    {
        Assert.Equal(ExitCodes.Usage, await _cli.RunAsync(args));
        Assert.Empty(_cli.Invoker.Calls);
    }

    [Fact]
    public async Task Products_get_shows_the_price_as_written()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("products", "get", "MUG"));

        Assert.Contains("19.99 USD", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_product_exits_with_the_not_found_code_and_the_reason()
    {
        Assert.Equal(ExitCodes.For(StatusCode.NotFound), await _cli.RunAsync("products", "get", "NOPE", "-o", "json"));

        using var json = JsonDocument.Parse(_cli.Error.ToString());
        Assert.Equal("PRODUCT_NOT_FOUND", json.RootElement.GetProperty("error").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Products_update_masks_only_the_fields_given()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("products", "update", "MUG", "--price", "500 JPY", "--etag", "e1"));

        var request = Assert.IsType<UpdateProductRequest>(_cli.Invoker.LastCall.Request);
        Assert.Equal(["price"], request.UpdateMask.Paths);
        Assert.Equal(new Money { CurrencyCode = "JPY", MinorUnits = 500 }, request.Product.Price);
        Assert.Equal("e1", request.Etag);
    }

    [Fact]
    public async Task Stock_adjust_and_check_send_what_was_asked()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("stock", "adjust", "MUG", "--delta", "-3", "--reason", "breakage", "--request-id", "adj-1"));
        Assert.Equal(new AdjustStockRequest { Sku = "MUG", Delta = -3, Reason = "breakage", RequestId = "adj-1" }, _cli.Invoker.LastCall.Request);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("stock", "check", "MUG", "GONE"));
        Assert.Equal(new CheckStockRequest { Skus = { "MUG", "GONE" } }, _cli.Invoker.LastCall.Request);
        Assert.Contains("GONE", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Orders_create_prints_a_new_request_id_that_a_retry_can_reuse()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("orders", "create", "--item", "MUG=2", "--item", "TEA=1", "--pay", "tok_approve"));

        var first = Assert.IsType<CreateOrderRequest>(_cli.Invoker.LastCall.Request);
        Assert.Equal([("MUG", 2), ("TEA", 1)], first.Lines.Select(l => (l.Sku, l.Quantity)));
        Assert.Equal("tok_approve", first.PaymentMethodToken);
        Assert.NotEmpty(first.RequestId);
        Assert.Contains($"--request-id {first.RequestId}", _cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Contains("CONFIRMED", _cli.Out.ToString(), StringComparison.Ordinal);

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("orders", "create", "--item", "MUG=2", "--item", "TEA=1", "--pay", "tok_approve", "--request-id", first.RequestId));
        Assert.Equal(first.RequestId, Assert.IsType<CreateOrderRequest>(_cli.Invoker.LastCall.Request).RequestId);
    }

    [Fact]
    public async Task A_declined_order_is_printed_and_exits_failed()
    {
        var code = await _cli.RunAsync("orders", "create", "--item", "MUG=1", "--pay", "tok_decline", "-o", "json");

        Assert.Equal(ExitCodes.Failed, code);
        using var json = JsonDocument.Parse(_cli.Out.ToString());
        Assert.Equal("STATE_FAILED", json.RootElement.GetProperty("state").GetString());
        Assert.Contains("PAYMENT_DECLINED", _cli.Error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payments_refund_sends_a_partial_amount_exactly()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("payments", "refund", "pay-1", "--amount", "5.00 USD", "--request-id", "rf"));

        Assert.Equal(
            new RefundPaymentRequest { PaymentId = "pay-1", Amount = new Money { CurrencyCode = "USD", MinorUnits = 500 }, RequestId = "rf" },
            _cli.Invoker.LastCall.Request);
        Assert.Contains("refunded 5.00 USD", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Payments_get_by_order_sends_the_order_id()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("payments", "get", "--order", "o-1"));

        Assert.Equal(new GetPaymentRequest { OrderId = "o-1" }, _cli.Invoker.LastCall.Request);
    }

    private static Product Mug(long available = 10) => new() { Sku = "MUG", Name = "Mug", Price = Price, Available = available, Active = true };

    private static Order OrderFor(CreateOrderRequest create)
    {
        var declined = create.PaymentMethodToken == "tok_decline";
        return new Order
        {
            OrderId = "o-1",
            UserId = 7,
            RequestId = create.RequestId,
            Lines = { create.Lines },
            State = declined ? Order.Types.State.Failed : Order.Types.State.Confirmed,
            FailureReason = declined ? "PAYMENT_DECLINED" : "",
            FailureMessage = declined ? "the card was declined" : "",
        };
    }
}
