using Google.Rpc;
using Grpc.Core;
using Tessera.Contracts.Order.V1;
using Payment = Tessera.Contracts.Payment.V1.Payment;
using Tessera.IntegrationTests.Observability;
using static Tessera.IntegrationTests.Commerce.OrdersServer;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>
/// Orders end to end in one process: the order service calls users, inventory and payments over gRPC as it would
/// across processes, and what the buyer notices (the order's state, the stock, the charge) is checked through the
/// services' own APIs.
/// </summary>
public sealed class OrderServiceTests(OrdersServer shop) : IClassFixture<OrdersServer>
{
    private static readonly TimeSpan Settled = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task A_paid_order_is_confirmed_its_stock_sold_and_its_payment_captured()
    {
        var sku = await shop.ProductAsync(price: 1_250, available: 5);

        var order = (await shop.Orders.CreateOrderAsync(NewOrder(sku, 2, "tok_approve"), shop.Alice)).Order;

        Assert.Equal(Order.Types.State.Confirmed, order.State);
        Assert.Equal(shop.Auth.Alice.Id, order.UserId);
        Assert.Equal(2_500, order.Total.MinorUnits);
        Assert.Equal("USD", order.Total.CurrencyCode);
        Assert.Equal(1_250, order.Lines[0].UnitPrice.MinorUnits);
        Assert.Equal(3, await shop.AvailableAsync(sku));
        var payment = await shop.PaymentOfAsync(order.OrderId);
        Assert.Equal(Payment.Types.Status.Captured, payment!.Status);
        Assert.Equal(2_500, payment.Amount.MinorUnits);
        Assert.Equal(order.PaymentId, payment.PaymentId);
        Assert.True(shop.Server.Errors.IsEmpty, string.Join("\n", shop.Server.Errors));
    }

    [Fact]
    public async Task A_declined_payment_fails_the_order_with_its_reason_and_gives_the_stock_back()
    {
        var sku = await shop.ProductAsync(price: 999, available: 5);
        var request = NewOrder(sku, 2, "tok_decline");

        var status = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => shop.Orders.CreateOrderAsync(request, shop.Alice).ResponseAsync);

        Assert.Equal("PAYMENT_DECLINED", status.Reason());
        var orderId = status.GetDetail<ErrorInfo>()!.Metadata["order_id"];
        var order = (await shop.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId }, shop.Alice)).Order;
        Assert.Equal(Order.Types.State.Failed, order.State);
        Assert.Equal("PAYMENT_DECLINED", order.FailureReason);
        Assert.Equal(5, await shop.AvailableAsync(sku));

        // The same request again answers the same failure and places nothing more.
        var again = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => shop.Orders.CreateOrderAsync(request, shop.Alice).ResponseAsync);
        Assert.Equal(orderId, again.GetDetail<ErrorInfo>()!.Metadata["order_id"]);
    }

    [Fact]
    public async Task Out_of_stock_and_unknown_skus_answer_the_inventorys_reason()
    {
        var sku = await shop.ProductAsync(price: 100, available: 1);

        var shortStatus = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => shop.Orders.CreateOrderAsync(NewOrder(sku, 2, "tok_approve"), shop.Alice).ResponseAsync);
        var unknown = await Assertions.FailsWith(StatusCode.NotFound, () => shop.Orders.CreateOrderAsync(NewOrder("no-such-sku-1", 1, "tok_approve"), shop.Alice).ResponseAsync);

        Assert.Equal("OUT_OF_STOCK", shortStatus.Reason());
        Assert.Equal("UNKNOWN_SKU", unknown.Reason());
        Assert.Equal(1, await shop.AvailableAsync(sku));
    }

    [Fact]
    public async Task An_order_placed_without_payment_waits_then_ProcessPayment_confirms_it()
    {
        var sku = await shop.ProductAsync(price: 700, available: 4);

        var pending = (await shop.Orders.CreateOrderAsync(NewOrder(sku, 1, ""), shop.Alice)).Order;
        Assert.Equal(Order.Types.State.PendingPayment, pending.State);
        Assert.Equal(3, await shop.AvailableAsync(sku));
        Assert.Null(await shop.PaymentOfAsync(pending.OrderId));

        var paid = (await shop.Orders.ProcessPaymentAsync(new ProcessPaymentRequest { OrderId = pending.OrderId, PaymentMethodToken = "tok_approve" }, shop.Alice)).Order;
        Assert.Equal(Order.Types.State.Confirmed, paid.State);
        Assert.Equal(Payment.Types.Status.Captured, (await shop.PaymentOfAsync(pending.OrderId))!.Status);
        Assert.Equal(3, await shop.AvailableAsync(sku));

        var twice = (await shop.Orders.ProcessPaymentAsync(new ProcessPaymentRequest { OrderId = pending.OrderId, PaymentMethodToken = "tok_approve" }, shop.Alice)).Order;
        Assert.Equal(Order.Types.State.Confirmed, twice.State);
    }

    [Fact]
    public async Task Cancelling_a_confirmed_order_refunds_it_and_returns_the_stock_once()
    {
        var sku = await shop.ProductAsync(price: 1_000, available: 3);
        var order = (await shop.Orders.CreateOrderAsync(NewOrder(sku, 2, "tok_approve"), shop.Alice)).Order;

        var cancelled = (await shop.Orders.CancelOrderAsync(new CancelOrderRequest { OrderId = order.OrderId, Reason = "changed my mind" }, shop.Alice)).Order;
        var again = (await shop.Orders.CancelOrderAsync(new CancelOrderRequest { OrderId = order.OrderId }, shop.Alice)).Order;

        Assert.Equal(Order.Types.State.Cancelled, cancelled.State);
        Assert.Equal(Order.Types.State.Cancelled, again.State);
        var payment = await shop.PaymentOfAsync(order.OrderId);
        Assert.Equal(Payment.Types.Status.Refunded, payment!.Status);
        Assert.Equal(2_000, payment.RefundedAmount.MinorUnits);
        Assert.Equal(3, await shop.AvailableAsync(sku));
    }

    [Fact]
    public async Task Cancelling_an_order_awaiting_payment_releases_its_stock_and_a_failed_one_cannot_be_cancelled()
    {
        var sku = await shop.ProductAsync(price: 1_000, available: 3);
        var pending = (await shop.Orders.CreateOrderAsync(NewOrder(sku, 2, ""), shop.Alice)).Order;

        var cancelled = (await shop.Orders.CancelOrderAsync(new CancelOrderRequest { OrderId = pending.OrderId }, shop.Alice)).Order;
        Assert.Equal(Order.Types.State.Cancelled, cancelled.State);
        Assert.Equal(3, await shop.AvailableAsync(sku));

        var declined = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => shop.Orders.CreateOrderAsync(NewOrder(sku, 1, "tok_decline"), shop.Alice).ResponseAsync);
        var failedId = declined.GetDetail<ErrorInfo>()!.Metadata["order_id"];
        var refused = await Assertions.FailsWith(StatusCode.FailedPrecondition, () => shop.Orders.CancelOrderAsync(new CancelOrderRequest { OrderId = failedId }, shop.Alice).ResponseAsync);
        Assert.Equal("ORDER_FAILED", refused.Reason());
    }

    [Fact]
    public async Task Users_list_their_own_orders_newest_first_and_an_admin_lists_anyones()
    {
        var (carol, carolTokens) = await shop.Auth.SignUpAsync($"c{Guid.NewGuid().ToString("N")[..10]}");
        var carolHeaders = Security.AuthServer.Bearer(carolTokens);
        var sku = await shop.ProductAsync(price: 100, available: 10);
        var mine = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            mine.Add((await shop.Orders.CreateOrderAsync(NewOrder(sku, 1, "tok_approve"), carolHeaders)).Order.OrderId);
        }

        await shop.Orders.CreateOrderAsync(NewOrder(sku, 1, "tok_approve"), shop.Bob);
        mine.Reverse();

        var first = await shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 2 }, carolHeaders);
        var second = await shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 2, PageToken = first.NextPageToken }, carolHeaders);
        Assert.Equal(mine, first.Orders.Concat(second.Orders).Select(o => o.OrderId));
        Assert.Empty(second.NextPageToken);

        var byAdmin = await shop.Orders.ListOrdersAsync(new ListOrdersRequest { UserId = carol.Id }, shop.Admin);
        Assert.Equal(mine, byAdmin.Orders.Select(o => o.OrderId));
        var everyone = await shop.Orders.ListOrdersAsync(new ListOrdersRequest { AllUsers = true, PageSize = 1000 }, shop.Admin);
        Assert.Contains(everyone.Orders, o => o.UserId == shop.Auth.Bob.Id);
        Assert.Superset(mine.ToHashSet(), everyone.Orders.Select(o => o.OrderId).ToHashSet());

        await Assertions.FailsWith(StatusCode.PermissionDenied, () => shop.Orders.ListOrdersAsync(new ListOrdersRequest { UserId = carol.Id }, shop.Bob).ResponseAsync);
        await Assertions.FailsWith(StatusCode.PermissionDenied, () => shop.Orders.ListOrdersAsync(new ListOrdersRequest { AllUsers = true }, shop.Bob).ResponseAsync);
        await Assertions.FailsWith(StatusCode.PermissionDenied, () => shop.Orders.GetOrderAsync(new GetOrderRequest { OrderId = mine[0] }, shop.Bob).ResponseAsync);
    }

    [Fact]
    public async Task A_buyer_whose_password_changed_still_orders_since_service_tokens_carry_no_security_stamp()
    {
        var (_, tokens) = await shop.Auth.SignUpAsync($"d{Guid.NewGuid().ToString("N")[..10]}");
        var renewed = (await shop.Auth.Auth.ChangePasswordAsync(
            new Contracts.Auth.V1.ChangePasswordRequest { CurrentPassword = Security.AuthServer.UserPassword, NewPassword = "a-new-password-for-tests" },
            Security.AuthServer.Bearer(tokens))).Tokens;
        var sku = await shop.ProductAsync(price: 100, available: 1);

        var order = (await shop.Orders.CreateOrderAsync(NewOrder(sku, 1, "tok_approve"), Security.AuthServer.Bearer(renewed))).Order;

        Assert.Equal(Order.Types.State.Confirmed, order.State);
    }

    [Fact]
    public async Task An_admin_orders_for_a_user_but_not_for_one_who_does_not_exist()
    {
        var sku = await shop.ProductAsync(price: 100, available: 5);
        var forAlice = NewOrder(sku, 1, "tok_approve");
        forAlice.UserId = shop.Auth.Alice.Id;
        var forNobody = NewOrder(sku, 1, "tok_approve");
        forNobody.UserId = 987_654_321;

        var placed = (await shop.Orders.CreateOrderAsync(forAlice, shop.Admin)).Order;
        var status = await Assertions.FailsWith(StatusCode.NotFound, () => shop.Orders.CreateOrderAsync(forNobody, shop.Admin).ResponseAsync);

        Assert.Equal((Order.Types.State.Confirmed, shop.Auth.Alice.Id), (placed.State, placed.UserId));
        Assert.Equal("USER_NOT_FOUND", status.Reason());
        Assert.Equal(4, await shop.AvailableAsync(sku));
    }

    [Fact]
    public async Task Malformed_requests_are_invalid_argument_naming_the_fields_and_place_nothing()
    {
        var before = (await shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1000 }, shop.Alice)).Orders.Count;
        var bad = new CreateOrderRequest
        {
            Lines = { new OrderLine { Sku = "lamp-1", Quantity = 0 }, new OrderLine { Sku = "LAMP-1", Quantity = 1 }, new OrderLine { Quantity = 1 } },
        };

        var status = await Assertions.FailsWith(StatusCode.InvalidArgument, () => shop.Orders.CreateOrderAsync(bad, shop.Alice).ResponseAsync);
        var empty = await Assertions.FailsWith(StatusCode.InvalidArgument, () => shop.Orders.CreateOrderAsync(new CreateOrderRequest { RequestId = "r" }, shop.Alice).ResponseAsync);
        var page = await Assertions.FailsWith(StatusCode.InvalidArgument, () => shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = -1 }, shop.Alice).ResponseAsync);
        var token = await Assertions.FailsWith(StatusCode.InvalidArgument, () => shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageToken = "not-a-token" }, shop.Alice).ResponseAsync);

        Assert.Equal(["request_id", "lines[0].quantity", "lines[1].sku", "lines[2].sku"], status.ViolatedFields());
        Assert.Equal(["lines"], empty.ViolatedFields());
        Assert.Equal(["page_size"], page.ViolatedFields());
        Assert.Equal(["page_token"], token.ViolatedFields());
        Assert.Equal(before, (await shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1000 }, shop.Alice)).Orders.Count);
    }

    [Fact]
    public async Task Concurrent_creates_with_one_request_id_place_one_order()
    {
        var sku = await shop.ProductAsync(price: 100, available: 10);
        var request = NewOrder(sku, 1, "tok_approve");

        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => shop.Orders.CreateOrderAsync(request, shop.Alice).ResponseAsync));

        Assert.Single(answers.Select(a => a.Order.OrderId).Distinct());
        var settled = await Poll.UntilAsync(
            () => shop.Orders.GetOrderAsync(new GetOrderRequest { OrderId = answers[0].Order.OrderId }, shop.Alice).ResponseAsync,
            r => r.Order.State == Order.Types.State.Confirmed, Settled);
        Assert.Equal(Order.Types.State.Confirmed, settled.Order.State);
        Assert.Equal(9, await shop.AvailableAsync(sku));
    }

    [Fact]
    public async Task A_deadline_shorter_than_the_payment_ends_the_call_and_the_order_settles_never_charged_without_goods()
    {
        var sku = await shop.ProductAsync(price: 4_200, available: 2);
        var request = NewOrder(sku, 1, "tok_slow");

        var error = await Assert.ThrowsAsync<RpcException>(() => shop.Orders.CreateOrderAsync(request, shop.Alice, deadline: DateTime.UtcNow.AddMilliseconds(800)).ResponseAsync);
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);

        var listed = await shop.Orders.ListOrdersAsync(new ListOrdersRequest { PageSize = 1000 }, shop.Alice);
        var orderId = Assert.Single(listed.Orders, o => o.RequestId == request.RequestId).OrderId;
        var settled = (await Poll.UntilAsync(
            () => shop.Orders.GetOrderAsync(new GetOrderRequest { OrderId = orderId }, shop.Alice).ResponseAsync,
            r => r.Order.State is Order.Types.State.Confirmed or Order.Types.State.Failed, Settled)).Order;

        var payment = await shop.PaymentOfAsync(orderId);
        var charged = payment is { Status: Payment.Types.Status.Captured } ? payment.Amount.MinorUnits - payment.RefundedAmount.MinorUnits : 0;
        if (settled.State == Order.Types.State.Confirmed)
        {
            Assert.Equal(4_200, charged);
            Assert.Equal(1, await shop.AvailableAsync(sku));
        }
        else
        {
            Assert.Equal(Order.Types.State.Failed, settled.State);
            Assert.Equal(0, charged);
            Assert.Equal(2, await shop.AvailableAsync(sku));
        }
    }
}
