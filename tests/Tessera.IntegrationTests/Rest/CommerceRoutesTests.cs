using System.Net;
using System.Text.Json;
using Grpc.Core;

namespace Tessera.IntegrationTests.Rest;

/// <summary>inventory.v1, order.v1 and payment.v1 over REST, every route once.</summary>
public sealed class CommerceRoutesTests(RestServer fixture) : RestTests(fixture)
{
    [Fact]
    public async Task Products_stock_and_their_list()
    {
        var sku = await NewProductAsync(price: 999, available: 4);

        var product = (await Rest.OkAsync(HttpMethod.Get, $"/v1/products/{sku}", Fixture.User)).GetProperty("product");
        Assert.Equal("999", product.GetProperty("price").String("minorUnits"));
        Assert.Equal("4", product.String("available"));

        var adjusted = (await Rest.OkAsync(HttpMethod.Post, $"/v1/products/{sku}:adjustStock", Admin, Json.Of(new { delta = "6", reason = "delivery", requestId = RestServer.Unique("r") }))).GetProperty("product");
        Assert.Equal("10", adjusted.String("available"));

        var levels = (await Rest.OkAsync(HttpMethod.Get, $"/v1/stock?skus={sku}&skus=no-such-sku", Fixture.User)).GetProperty("levels").EnumerateArray().ToList();
        Assert.Equal([(sku, true, "10"), ("no-such-sku", false, "0")], levels.Select(l => (l.String("sku"), l.GetProperty("found").GetBoolean(), l.String("available"))));

        var filter = Uri.EscapeDataString($"sku = \"{sku}\"");
        var list = await Rest.OkAsync(HttpMethod.Get, $"/v1/products?filter={filter}", Fixture.User);
        Assert.Equal([sku], list.GetProperty("products").EnumerateArray().Select(p => p.String("sku")));

        using var missing = await Rest.GetAsync("/v1/products/no-such-sku", Fixture.User);
        await Json.ErrorAsync(missing, HttpStatusCode.NotFound, StatusCode.NotFound);
    }

    [Fact]
    public async Task Reservations_are_made_read_by_id_and_by_order_committed_and_released()
    {
        var sku = await NewProductAsync(price: 100, available: 5);
        var orderId = RestServer.Unique("order-");

        var reservation = await ReserveAsync(orderId, sku, 2);
        Assert.Equal("STATE_ACTIVE", reservation.String("state"));
        Assert.Equal("200", reservation.GetProperty("total").String("minorUnits"));
        var id = reservation.String("reservationId");
        Assert.Equal(id, (await Rest.OkAsync(HttpMethod.Get, $"/v1/reservations/{id}", Admin)).GetProperty("reservation").String("reservationId"));
        Assert.Equal(id, (await Rest.OkAsync(HttpMethod.Get, $"/v1/reservations?orderId={orderId}", Admin)).GetProperty("reservation").String("reservationId"));
        Assert.Equal("STATE_COMMITTED", (await Rest.OkAsync(HttpMethod.Post, $"/v1/reservations/{id}:commit", Admin, "{}")).GetProperty("reservation").String("state"));

        var other = (await ReserveAsync(RestServer.Unique("order-"), sku, 3)).String("reservationId");
        Assert.Equal("STATE_RELEASED", (await Rest.OkAsync(HttpMethod.Post, $"/v1/reservations/{other}:release", Admin, "{}")).GetProperty("reservation").String("state"));
        Assert.Equal("3", (await Rest.OkAsync(HttpMethod.Get, $"/v1/products/{sku}", Admin)).GetProperty("product").String("available"));

        using var tooMany = await Rest.PostAsync("/v1/reservations", Json.Of(new { orderId = RestServer.Unique("order-"), lines = new[] { new { sku, quantity = 9 } } }), Admin);
        await Json.ErrorAsync(tooMany, HttpStatusCode.BadRequest, StatusCode.FailedPrecondition, "OUT_OF_STOCK");
    }

    [Fact]
    public async Task Orders_are_placed_read_listed_paid_and_cancelled_and_their_payments_read_and_refunded()
    {
        var sku = await NewProductAsync(price: 500, available: 10);

        var confirmed = await PlaceAsync(sku, 2, "tok_approve");
        Assert.Equal("STATE_CONFIRMED", confirmed.String("state"));
        Assert.Equal("1000", confirmed.GetProperty("total").String("minorUnits"));
        var orderId = confirmed.String("orderId");
        Assert.Equal(orderId, (await Rest.OkAsync(HttpMethod.Get, $"/v1/orders/{orderId}", Fixture.User)).GetProperty("order").String("orderId"));

        var pending = await PlaceAsync(sku, 1, "");
        Assert.Equal("STATE_PENDING_PAYMENT", pending.String("state"));
        var paid = (await Rest.OkAsync(HttpMethod.Post, $"/v1/orders/{pending.String("orderId")}:pay", Fixture.User, Json.Of(new { paymentMethodToken = "tok_approve" }))).GetProperty("order");
        Assert.Equal("STATE_CONFIRMED", paid.String("state"));

        var mine = (await Rest.OkAsync(HttpMethod.Get, "/v1/orders?pageSize=10", Fixture.User)).GetProperty("orders").EnumerateArray().Select(o => o.String("orderId")).ToList();
        Assert.Contains(orderId, mine);
        Assert.Contains(pending.String("orderId"), mine);

        var payment = (await Rest.OkAsync(HttpMethod.Get, $"/v1/payments?orderId={orderId}", Admin)).GetProperty("payment");
        Assert.Equal("STATUS_CAPTURED", payment.String("status"));
        var paymentId = payment.String("paymentId");
        Assert.Equal(orderId, (await Rest.OkAsync(HttpMethod.Get, $"/v1/payments/{paymentId}", Admin)).GetProperty("payment").String("orderId"));
        var refund = await Rest.OkAsync(HttpMethod.Post, $"/v1/payments/{paymentId}:refund", Admin, Json.Of(new { amount = Usd(300), reason = "dented", requestId = RestServer.Unique("r") }));
        Assert.Equal("300", refund.GetProperty("payment").GetProperty("refundedAmount").String("minorUnits"));

        var cancelled = (await Rest.OkAsync(HttpMethod.Post, $"/v1/orders/{pending.String("orderId")}:cancel", Fixture.User, Json.Of(new { reason = "changed my mind" }))).GetProperty("order");
        Assert.Equal("STATE_CANCELLED", cancelled.String("state"));

        using var declined = await Rest.PostAsync("/v1/orders", Json.Of(new { requestId = RestServer.Unique("r"), lines = new[] { new { sku, quantity = 1 } }, paymentMethodToken = "tok_decline" }), Fixture.User);
        await Json.ErrorAsync(declined, HttpStatusCode.BadRequest, StatusCode.FailedPrecondition, "PAYMENT_DECLINED");
        using var notMine = await Rest.GetAsync($"/v1/payments/{paymentId}", Fixture.User);
        await Json.ErrorAsync(notMine, HttpStatusCode.Forbidden, StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task A_payment_is_charged_directly()
    {
        var orderId = RestServer.Unique("external-");
        var payment = (await Rest.OkAsync(HttpMethod.Post, "/v1/payments", Admin, Json.Of(new { orderId, amount = Usd(4200), paymentMethodToken = "tok_approve" }))).GetProperty("payment");
        Assert.Equal(("STATUS_CAPTURED", orderId, "4200"), (payment.String("status"), payment.String("orderId"), payment.GetProperty("amount").String("minorUnits")));
    }

    private static object Usd(long minorUnits) => new { currencyCode = "USD", minorUnits = minorUnits.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    private async Task<string> NewProductAsync(long price, long available)
    {
        var sku = RestServer.Unique("sku-");
        await Rest.OkAsync(HttpMethod.Post, "/v1/products", Admin, Json.Of(new { sku, name = $"Product {sku}", price = Usd(price), available = available.ToString(System.Globalization.CultureInfo.InvariantCulture), active = true }));
        return sku;
    }

    private async Task<JsonElement> ReserveAsync(string orderId, string sku, int quantity) =>
        (await Rest.OkAsync(HttpMethod.Post, "/v1/reservations", Admin, Json.Of(new { orderId, lines = new[] { new { sku, quantity } }, ttl = "60s" }))).GetProperty("reservation");

    private async Task<JsonElement> PlaceAsync(string sku, int quantity, string paymentMethodToken) =>
        (await Rest.OkAsync(HttpMethod.Post, "/v1/orders", Fixture.User, Json.Of(new { requestId = RestServer.Unique("r"), lines = new[] { new { sku, quantity } }, paymentMethodToken }))).GetProperty("order");
}
