using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Money.V1;
using Tessera.Contracts.Order.V1;
using Tessera.Contracts.Payment.V1;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// The commerce side of the crash history (<see cref="CrashHistoryTests"/>): workers place orders (the whole saga in
/// the one server: reserve, charge, commit), cancel confirmed ones and restock a scarce product, and the history keeps
/// what each was told. A call cut by the kill is sent again after the restart with its same request id (CreateOrder
/// and AdjustStock are idempotent on it, CancelOrder on the order), so the history learns the outcome and the
/// idempotency itself is under test across the crash.
/// <para>
/// After every restart: each order acknowledged CONFIRMED, FAILED or CANCELLED is still so (a failed one may still be
/// undoing: PENDING), no request id placed two orders, no stock is negative or more than was ever stocked. At the end,
/// once recovery has settled every order: a CONFIRMED order holds committed stock and one captured payment of its total;
/// a FAILED or CANCELLED one holds no stock and keeps no money; and each product's stock is exactly what was stocked
/// less what the CONFIRMED orders bought, with nothing left reserved.
/// </para>
/// </summary>
internal sealed class OrderHistory(int seed, CheckReads reads)
{
    public const int Workers = 2;

    private const long PriceMinor = 250;

    /// <summary>How long recovery may take to settle every order after the last restart: an order's lease (20 s) and a payment claim's (20 s), a pass interval (5 s), room for a slow CI.</summary>
    private static readonly TimeSpan SettleBound = TimeSpan.FromSeconds(120);

    /// <summary>Two products no order can exhaust and one that runs out and is restocked, so OUT_OF_STOCK is in the load.</summary>
    private static readonly (string Sku, long Stock)[] Products = [("CRASH-PLENTY-A", 1_000_000), ("CRASH-PLENTY-B", 1_000_000), ("CRASH-SCARCE", 12)];

    private readonly object gate = new();
    private readonly Dictionary<string, long> stocked = [];
    private readonly Dictionary<string, Placed> placed = [];
    private readonly List<Restock> restocksInFlight = [];
    private readonly List<Placed> cancelsInFlight = [];
    private readonly long[] buyers = new long[Workers];
    private int next;

    /// <summary>A call, once made, is never cancelled by the client: only the kill decides its outcome.</summary>
    private static CancellationToken Unstopped => CancellationToken.None;

    /// <summary>Orders acknowledged (confirmed or failed), cancels acknowledged, restocks acknowledged.</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Calls cut by a kill whose outcome the history learnt by sending them again.</summary>
    public int InFlight { get; private set; }

    public int Orders => placed.Count;

    public int Confirmed { get; private set; }

    /// <summary>The products, and a buyer per worker: users no user worker renames or deletes (returned for the user history to know).</summary>
    public async Task<IReadOnlyList<Contracts.User.V1.User>> SetUpAsync(GrpcChannel channel)
    {
        var inventory = new InventoryService.InventoryServiceClient(channel);
        foreach (var (sku, stock) in Products)
        {
            await inventory.CreateProductAsync(new CreateProductRequest
            {
                Product = new Product { Sku = sku, Name = sku, Price = new Money { CurrencyCode = "USD", MinorUnits = PriceMinor }, Available = stock, Active = true },
            });
            stocked[sku] = stock;
        }

        var users = new Contracts.User.V1.UserService.UserServiceClient(channel);
        var created = new List<Contracts.User.V1.User>();
        for (var worker = 0; worker < Workers; worker++)
        {
            var user = (await users.CreateUserAsync(new Contracts.User.V1.CreateUserRequest { Username = $"crash-buyer-{worker}", Email = $"crash-buyer-{worker}@example.com", FullName = $"buyer {worker}" })).User;
            buyers[worker] = user.Id;
            created.Add(user);
        }

        return created;
    }

    /// <summary>Places, cancels and restocks until cancelled or the server dies; a call cut short is left in flight.</summary>
    public async Task RunAsync(GrpcChannel channel, int worker, Random random, CancellationToken cancellationToken)
    {
        var orders = new OrderService.OrderServiceClient(channel);
        var inventory = new InventoryService.InventoryServiceClient(channel);
        while (!cancellationToken.IsCancellationRequested)
        {
            var roll = random.Next(20);
            var cancellable = roll == 1 ? Cancellable(worker, random) : null;
            var done = roll == 0 ? await RestockAsync(inventory, new Restock(Products[^1].Sku, random.Next(10, 30), NewRequestId(worker)))
                : cancellable is not null ? await CancelAsync(orders, cancellable)
                : await PlaceAsync(orders, NewOrder(worker, random));
            if (!done)
            {
                return;
            }
        }
    }

    /// <summary>
    /// After a restart, before the load goes on: sends every call cut by the kill again, then checks that each
    /// acknowledged order is as acknowledged, that no request placed two orders, that no stock is negative or more
    /// than was stocked, and that a new order is confirmed.
    /// </summary>
    public async Task CheckAsync(GrpcChannel channel, string when)
    {
        var orders = new OrderService.OrderServiceClient(channel);
        var inventory = new InventoryService.InventoryServiceClient(channel);
        foreach (var restock in restocksInFlight.ToList())
        {
            InFlight++;
            Assert.True(await RestockAsync(inventory, restock), $"seed {seed}, {when}: restock {restock.RequestId} sent again did not finish");
        }

        foreach (var order in placed.Values.Where(order => order.Outcome == Outcome.InFlight).ToList())
        {
            InFlight++;
            Assert.True(await PlaceAsync(orders, order), $"seed {seed}, {when}: order {order.Request.RequestId} sent again did not finish");
        }

        foreach (var order in cancelsInFlight.ToList())
        {
            InFlight++;
            Assert.True(await CancelAsync(orders, order), $"seed {seed}, {when}: cancelling {order.OrderId} again did not finish");
        }

        var stored = await ListAsync(orders);
        foreach (var order in placed.Values)
        {
            var found = stored.GetValueOrDefault(order.Request.RequestId);
            Assert.True(found is not null, $"seed {seed}, {when}: no order for request {order.Request.RequestId} ({order.Outcome}, {order.OrderId})");
            Assert.True(found.OrderId == order.OrderId, $"seed {seed}, {when}: request {order.Request.RequestId} placed {found.OrderId}, but {order.OrderId} was answered");
            var allowed = order.Outcome switch
            {
                Outcome.Confirmed => [Order.Types.State.Confirmed],
                Outcome.Cancelled => [Order.Types.State.Cancelled],
                // Undoing may still run (its compensation was cut) or be finished.
                Outcome.Failed => [Order.Types.State.Failed, Order.Types.State.Pending],
                Outcome.Cancelling => [Order.Types.State.Cancelled, Order.Types.State.Pending],
                _ => Enum.GetValues<Order.Types.State>(),
            };
            Assert.True(allowed.Contains(found.State), $"seed {seed}, {when}: order {found.OrderId} is {found.State} ({found.FailureReason}), but it was acknowledged {order.Outcome}");
        }

        foreach (var (sku, stock) in stocked)
        {
            var product = await ProductAsync(inventory, sku);
            Assert.True(product.Available >= 0 && product.Reserved >= 0 && product.Available + product.Reserved <= stock,
                $"seed {seed}, {when}: {sku} has {product.Available} available and {product.Reserved} reserved of {stock} ever stocked");
        }

        // The restarted server takes orders again: one per buyer, confirmed (this also warms the saga's calls, whose
        // first run after a start takes half a second, out of the short load that follows).
        for (var worker = 0; worker < Workers; worker++)
        {
            var probe = new Placed(worker, new CreateOrderRequest { RequestId = NewRequestId(worker), UserId = buyers[worker], PaymentMethodToken = "tok_approve", Lines = { new OrderLine { Sku = Products[0].Sku, Quantity = 1 } } });
            Assert.True(await PlaceAsync(orders, probe) && probe.Outcome == Outcome.Confirmed, $"seed {seed}, {when}: a new order was {probe.Outcome}, not CONFIRMED");
        }
    }

    /// <summary>
    /// After the last restart: waits until recovery has settled every order, then checks each order's goods against its
    /// money and every product's stock against what the confirmed orders bought.
    /// </summary>
    public async Task CheckSettledAsync(GrpcChannel channel)
    {
        var orders = new OrderService.OrderServiceClient(channel);
        var inventory = new InventoryService.InventoryServiceClient(channel);
        var payments = new PaymentService.PaymentServiceClient(channel);
        var stored = await SettledAsync(orders);
        Assert.Equal(placed.Keys.Order(StringComparer.Ordinal), stored.Keys.Order(StringComparer.Ordinal));
        var bought = stocked.Keys.ToDictionary(sku => sku, _ => 0L);
        foreach (var order in stored.Values)
        {
            var expected = placed[order.RequestId].Outcome switch
            {
                Outcome.Confirmed => Order.Types.State.Confirmed,
                Outcome.Failed => Order.Types.State.Failed,
                Outcome.Cancelled or Outcome.Cancelling => Order.Types.State.Cancelled,
                _ => order.State,
            };
            Assert.True(order.State == expected, $"seed {seed}: order {order.OrderId} settled {order.State} ({order.FailureReason}), but it was acknowledged {expected}");
            await CheckGoodsMatchMoneyAsync(inventory, payments, order);
            if (order.State == Order.Types.State.Confirmed)
            {
                Confirmed++;
                foreach (var line in order.Lines)
                {
                    bought[line.Sku] += line.Quantity;
                }
            }
        }

        foreach (var (sku, stock) in stocked)
        {
            var product = await ProductAsync(inventory, sku);
            Assert.True(product.Reserved == 0 && product.Available == stock - bought[sku],
                $"seed {seed}: {sku} has {product.Available} available and {product.Reserved} reserved; {stock} were stocked and the confirmed orders bought {bought[sku]}");
        }
    }

    /// <summary>CONFIRMED: its reservation committed and one captured payment of its total. Otherwise: nothing held, nothing kept.</summary>
    private async Task CheckGoodsMatchMoneyAsync(InventoryService.InventoryServiceClient inventory, PaymentService.PaymentServiceClient payments, Order order)
    {
        var reservation = await FindAsync(async deadline => (await inventory.GetReservationAsync(new GetReservationRequest { OrderId = order.OrderId }, deadline: deadline)).Reservation);
        var payment = await FindAsync(async deadline => (await payments.GetPaymentAsync(new GetPaymentRequest { OrderId = order.OrderId }, deadline: deadline)).Payment);
        var what = $"seed {seed}: order {order.OrderId} is {order.State} ({order.FailureReason}) with reservation {reservation?.State.ToString() ?? "none"} and payment {payment?.Status.ToString() ?? "none"}";
        if (order.State == Order.Types.State.Confirmed)
        {
            Assert.True(reservation?.State == Reservation.Types.State.Committed, what);
            Assert.True(payment is { Status: Payment.Types.Status.Captured } && payment.Amount.Equals(order.Total) && (payment.RefundedAmount?.MinorUnits ?? 0) == 0, what);
            return;
        }

        // A cancelled order's committed stock came back by AdjustStock: the products' totals check that.
        Assert.True(reservation?.State != Reservation.Types.State.Active, what);
        Assert.True(payment is null or { Status: Payment.Types.Status.Declined or Payment.Types.Status.Refunded }, what);
        if (payment?.Status == Payment.Types.Status.Refunded)
        {
            Assert.True(payment.RefundedAmount.Equals(payment.Amount), what);
        }
    }

    /// <summary>Waits, within <see cref="SettleBound"/>, until no order is PENDING; returns them by request id.</summary>
    private async Task<Dictionary<string, Order>> SettledAsync(OrderService.OrderServiceClient orders)
    {
        using var deadline = new CancellationTokenSource(SettleBound);
        while (true)
        {
            var stored = await ListAsync(orders);
            var pending = stored.Values.Where(order => order.State is Order.Types.State.Pending or Order.Types.State.PendingPayment).ToList();
            if (pending.Count == 0)
            {
                return stored;
            }

            Assert.False(deadline.IsCancellationRequested, $"seed {seed}: {pending.Count} orders still pending {SettleBound.TotalSeconds} s after the last restart, e.g. {pending[0].OrderId}");
            await Task.Delay(500, CancellationToken.None);
        }
    }

    /// <summary>Every order, by request id (each request id must have placed one).</summary>
    private async Task<Dictionary<string, Order>> ListAsync(OrderService.OrderServiceClient orders)
    {
        var all = new Dictionary<string, Order>(StringComparer.Ordinal);
        var token = "";
        do
        {
            var page = await reads.ReadAsync(deadline => orders.ListOrdersAsync(new ListOrdersRequest { AllUsers = true, PageSize = 1000, PageToken = token }, deadline: deadline).ResponseAsync);
            foreach (var order in page.Orders)
            {
                Assert.True(all.TryAdd(order.RequestId, order), $"seed {seed}: request {order.RequestId} placed two orders, {all.GetValueOrDefault(order.RequestId)?.OrderId} and {order.OrderId}");
            }

            token = page.NextPageToken;
        }
        while (token.Length > 0);

        return all;
    }

    /// <summary>Sends CreateOrder; false when the kill cut it (the order stays in flight, to be sent again).</summary>
    private async Task<bool> PlaceAsync(OrderService.OrderServiceClient orders, Placed order)
    {
        Record(() => placed.TryAdd(order.Request.RequestId, order));
        try
        {
            var answered = (await orders.CreateOrderAsync(order.Request, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Unstopped)).Order;
            // CONFIRMED is acknowledged; a repeat may also find the first run still PENDING (recovery settles it).
            Record(() => Learn(order, answered.OrderId, answered.State == Order.Types.State.Confirmed ? Outcome.Confirmed : Outcome.Settles));
            return true;
        }
        catch (RpcException e) when (e.GetRpcStatus()?.GetDetail<ErrorInfo>() is { Domain: "order.v1.tessera" } info && info.Metadata.TryGetValue("order_id", out var orderId))
        {
            // The order exists: refused for good (OUT_OF_STOCK, PAYMENT_DECLINED: FAILED), or stopped with an unknown
            // outcome (a repeat finding it undone, ORDER_INTERRUPTED), which recovery settles.
            var refused = e.StatusCode == StatusCode.FailedPrecondition && info.Reason is "OUT_OF_STOCK" or "PAYMENT_DECLINED";
            Record(() => Learn(order, orderId, refused ? Outcome.Failed : Outcome.Settles));
            return true;
        }
        catch (RpcException e) when (IsCut(e))
        {
            return false;
        }
    }

    private void Learn(Placed order, string orderId, Outcome outcome)
    {
        order.OrderId = orderId;
        if (order.Outcome is Outcome.InFlight or Outcome.Settles)
        {
            order.Outcome = outcome;
            Acknowledged += outcome == Outcome.Settles ? 0 : 1;
        }
    }

    private async Task<bool> CancelAsync(OrderService.OrderServiceClient orders, Placed order)
    {
        Record(() =>
        {
            order.Outcome = Outcome.Cancelling;
            if (!cancelsInFlight.Contains(order))
            {
                cancelsInFlight.Add(order);
            }
        });
        try
        {
            var cancelled = (await orders.CancelOrderAsync(new CancelOrderRequest { OrderId = order.OrderId, Reason = "crash history" }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Unstopped)).Order;
            Assert.True(cancelled.State == Order.Types.State.Cancelled, $"seed {seed}: cancelling {order.OrderId} answered {cancelled.State}");
            Record(() => order.Outcome = Outcome.Cancelled);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition && e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason == "ORDER_IN_PROGRESS")
        {
            // Sent again while the cut cancel is still being undone (recovery finishes it): it must end CANCELLED.
        }
        catch (RpcException e) when (IsCut(e))
        {
            return false;
        }

        Record(() =>
        {
            cancelsInFlight.Remove(order);
            Acknowledged++;
        });
        return true;
    }

    private async Task<bool> RestockAsync(InventoryService.InventoryServiceClient inventory, Restock restock)
    {
        Record(() =>
        {
            if (!restocksInFlight.Contains(restock))
            {
                restocksInFlight.Add(restock);
            }
        });
        try
        {
            await inventory.AdjustStockAsync(new AdjustStockRequest { Sku = restock.Sku, Delta = restock.Delta, Reason = "crash history restock", RequestId = restock.RequestId }, deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Unstopped);
        }
        catch (RpcException e) when (IsCut(e))
        {
            return false;
        }

        Record(() =>
        {
            restocksInFlight.Remove(restock);
            stocked[restock.Sku] += restock.Delta;
            Acknowledged++;
        });
        return true;
    }

    /// <summary>One or two products, 1-3 of each; mostly approved, 8% declined, 4% slow (held 2 s: mostly cut by the kill, and its worker idle till then).</summary>
    private Placed NewOrder(int worker, Random random)
    {
        var request = new CreateOrderRequest
        {
            RequestId = NewRequestId(worker),
            UserId = buyers[worker],
            PaymentMethodToken = random.Next(25) switch { 0 or 1 => "tok_decline", 2 => "tok_slow", _ => "tok_approve" },
        };
        foreach (var (sku, _) in Products.OrderBy(_ => random.Next()).Take(random.Next(1, 3)))
        {
            request.Lines.Add(new OrderLine { Sku = sku, Quantity = random.Next(1, 4) });
        }

        return new Placed(worker, request);
    }

    /// <summary>One of this worker's orders acknowledged CONFIRMED, or null.</summary>
    private Placed? Cancellable(int worker, Random random)
    {
        lock (gate)
        {
            var confirmed = placed.Values.Where(order => order.Worker == worker && order.Outcome == Outcome.Confirmed).ToList();
            return confirmed.Count == 0 ? null : confirmed[random.Next(confirmed.Count)];
        }
    }

    private string NewRequestId(int worker) => $"crash-{seed}-{worker}-{Interlocked.Increment(ref next)}";

    /// <summary>The server died under the call (or was killed before it answered).</summary>
    private static bool IsCut(RpcException e) =>
        e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown or StatusCode.DeadlineExceeded;

    private async Task<Product> ProductAsync(InventoryService.InventoryServiceClient inventory, string sku) =>
        (await reads.ReadAsync(deadline => inventory.GetProductAsync(new GetProductRequest { Sku = sku }, deadline: deadline).ResponseAsync)).Product;

    /// <summary>What <paramref name="read"/> finds, or null for NOT_FOUND.</summary>
    private async Task<T?> FindAsync<T>(Func<DateTime, Task<T>> read)
        where T : class
    {
        try
        {
            return await reads.ReadAsync(read);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    private void Record(Action change)
    {
        lock (gate)
        {
            change();
        }
    }

    private enum Outcome
    {
        /// <summary>Sent; its answer not yet known.</summary>
        InFlight,

        /// <summary>Cut by a kill and sent again: recovery decides it, CONFIRMED or FAILED.</summary>
        Settles,

        Confirmed,
        Failed,

        /// <summary>A cancel was sent and not yet acknowledged.</summary>
        Cancelling,
        Cancelled,
    }

    private sealed class Placed(int worker, CreateOrderRequest request)
    {
        public int Worker { get; } = worker;

        public CreateOrderRequest Request { get; } = request;

        public string OrderId { get; set; } = "";

        public Outcome Outcome { get; set; }
    }

    private sealed record Restock(string Sku, long Delta, string RequestId);
}
