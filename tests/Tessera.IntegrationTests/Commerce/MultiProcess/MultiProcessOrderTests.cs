using Grpc.Core;
using Tessera.Client;
using Tessera.Contracts.Order.V1;
using Tessera.Contracts.Payment.V1;

namespace Tessera.IntegrationTests.Commerce.MultiProcess;

/// <summary>
/// Orders across three processes (users; inventory and payments; orders): what a buyer sees, and what the stock and
/// the payments say afterwards, when everything works, when a payment is declined, and when a process is SIGKILLed
/// mid-order. The invariant after a crash: the order ends CONFIRMED with its stock sold and charged once, or FAILED
/// with its stock back and nothing charged (or refunded); never charged without goods, never stock lost.
/// </summary>
public abstract class MultiProcessOrderTests
{
    private const int Stock = 10;

    /// <summary>How long recovery may take after a restart: its settle time and pass interval, with room for a slow CI.</summary>
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(60);

    private protected abstract Task<CommerceProcesses> StartAsync();

    [SkippableFact]
    public async Task An_order_is_confirmed_across_processes_and_a_declined_one_fails_with_its_stock_back()
    {
        await using var tessera = await StartAsync();
        var sku = await tessera.CreateProductAsync(Stock);
        using var buyer = tessera.Buyer;

        var confirmed = (await buyer.Orders.CreateOrderAsync(NewOrder(sku, 3, "tok_approve"))).Order;

        Assert.Equal(Order.Types.State.Confirmed, confirmed.State);
        Assert.Equal(1500, confirmed.Total.MinorUnits);
        Assert.Equal((Stock - 3, 0), await tessera.StockAsync(sku));
        using var shop = tessera.Shop;
        var payment = (await shop.Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = confirmed.OrderId })).Payment;
        Assert.Equal(Payment.Types.Status.Captured, payment.Status);
        Assert.Equal(1500, payment.Amount.MinorUnits);

        var declined = await Assert.ThrowsAnyAsync<TesseraException>(async () => await buyer.Orders.CreateOrderAsync(NewOrder(sku, 2, "tok_decline")));

        Assert.Equal(StatusCode.FailedPrecondition, declined.StatusCode);
        Assert.Equal("PAYMENT_DECLINED", declined.Reason);
        var failed = await OnlyOrderAsync(buyer, Order.Types.State.Failed);
        Assert.Equal("PAYMENT_DECLINED", failed.FailureReason);
        Assert.Equal((Stock - 3, 0), await tessera.StockAsync(sku));
    }

    [SkippableFact]
    public async Task The_inventory_process_killed_mid_order_fails_the_order_unavailable_and_no_stock_is_lost()
    {
        await using var tessera = await StartAsync();
        var sku = await tessera.CreateProductAsync(Stock);
        using var buyer = tessera.Buyer;

        // tok_slow holds the payment (served by the same process as inventory) for 2 s: kill that process meanwhile.
        var placing = buyer.Orders.CreateOrderAsync(NewOrder(sku, 4, "tok_slow")).ResponseAsync;
        await WaitUntilAsync(async () => (await tessera.StockAsync(sku)).Reserved == 4, TimeSpan.FromSeconds(10));
        await tessera.InventoryAndPayments.KillAsync();

        var error = await Assert.ThrowsAnyAsync<TesseraException>(() => placing);
        Assert.Equal(StatusCode.Unavailable, error.StatusCode);

        await tessera.InventoryAndPayments.StartAsync();
        var settled = await SettledOrderAsync(buyer);
        await AssertGoodsMatchChargeAsync(tessera, sku, settled, quantity: 4);
    }

    [SkippableFact]
    public async Task The_orders_process_killed_while_a_slow_payment_is_in_flight_ends_confirmed_or_refunded_after_restart()
    {
        await using var tessera = await StartAsync();
        var sku = await tessera.CreateProductAsync(Stock);
        using (var buyer = tessera.Buyer)
        {
            var placing = buyer.Orders.CreateOrderAsync(NewOrder(sku, 2, "tok_slow")).ResponseAsync;
            await WaitUntilAsync(async () => (await tessera.StockAsync(sku)).Reserved == 2, TimeSpan.FromSeconds(10));
            await tessera.Orders.KillAsync();
            await Assert.ThrowsAnyAsync<TesseraException>(() => placing);
        }

        await tessera.Orders.StartAsync();
        using var restarted = tessera.Buyer;
        var settled = await SettledOrderAsync(restarted);
        await AssertGoodsMatchChargeAsync(tessera, sku, settled, quantity: 2);
    }

    private static CreateOrderRequest NewOrder(string sku, int quantity, string token) => new()
    {
        RequestId = Guid.NewGuid().ToString("N"),
        Lines = { new OrderLine { Sku = sku, Quantity = quantity } },
        PaymentMethodToken = token,
    };

    /// <summary>The caller's one order in <paramref name="state"/> (each test's admin places its orders on a fresh set of processes).</summary>
    private static async Task<Order> OnlyOrderAsync(TesseraClient buyer, Order.Types.State state) =>
        Assert.Single((await buyer.Orders.ListOrdersAsync(new ListOrdersRequest { State = state })).Orders);

    /// <summary>Waits, within <see cref="RecoveryBound"/>, until the caller's only order is CONFIRMED or FAILED.</summary>
    private static async Task<Order> SettledOrderAsync(TesseraClient buyer)
    {
        Order? order = null;
        await WaitUntilAsync(async () =>
        {
            order = Assert.Single((await buyer.Orders.ListOrdersAsync(new ListOrdersRequest())).Orders);
            return order.State is Order.Types.State.Confirmed or Order.Types.State.Failed;
        }, RecoveryBound, () => $"the order is still {order?.State} ({order?.FailureReason})");
        return order!;
    }

    /// <summary>CONFIRMED: the stock is sold and the payment captured once. FAILED: the stock is back and nothing is kept.</summary>
    private static async Task AssertGoodsMatchChargeAsync(CommerceProcesses tessera, string sku, Order order, int quantity)
    {
        using var shop = tessera.Shop;
        Payment? payment = null;
        try
        {
            payment = (await shop.Payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order.OrderId })).Payment;
        }
        catch (NotFoundException)
        {
            // no charge was ever made
        }

        if (order.State == Order.Types.State.Confirmed)
        {
            Assert.Equal((Stock - quantity, 0), await tessera.StockAsync(sku));
            Assert.NotNull(payment);
            Assert.Equal(Payment.Types.Status.Captured, payment.Status);
            Assert.Equal(order.Total, payment.Amount);
            return;
        }

        await WaitUntilAsync(async () => await tessera.StockAsync(sku) == (Stock, 0), RecoveryBound, () => "the failed order's stock did not come back");
        if (payment is not null && payment.Status != Payment.Types.Status.Declined)
        {
            Assert.Equal(Payment.Types.Status.Refunded, payment.Status);
            Assert.Equal(payment.Amount, payment.RefundedAmount);
        }
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan bound, Func<string>? why = null)
    {
        using var deadline = new CancellationTokenSource(bound);
        while (!await condition())
        {
            if (deadline.IsCancellationRequested)
            {
                Assert.Fail($"not within {bound.TotalSeconds} s: {why?.Invoke() ?? "the condition did not hold"}");
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }
}
