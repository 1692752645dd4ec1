using Tessera.Commerce.Inventory;
using Tessera.Commerce.Money;
using Tessera.Users.Tests;

namespace Tessera.Commerce.Tests.Inventory;

/// <summary>
/// What every <see cref="IInventoryStore"/> must do. An engine runs it by deriving from this class and implementing
/// <see cref="CreateStore"/>; every store it creates within one test opens the same (initially empty) database.
/// </summary>
public abstract class InventoryStoreContract : IAsyncLifetime
{
    private readonly List<DbInventoryStore> opened = [];
    private DbInventoryStore? store;

    protected ManualClock Clock { get; } = new();

    protected DbInventoryStore Store => store ?? throw new InvalidOperationException("InitializeAsync has not run");

    protected abstract DbInventoryStore CreateStore(TimeProvider clock);

    public virtual async Task InitializeAsync() => store = await OpenAsync();

    public virtual async Task DisposeAsync()
    {
        foreach (var each in opened)
        {
            switch (each)
            {
                case IAsyncDisposable asynchronous:
                    await asynchronous.DisposeAsync();
                    break;
                case IDisposable synchronous:
                    synchronous.Dispose();
                    break;
            }
        }
    }

    /// <summary>Another store on the same database (another replica, or the server after a restart).</summary>
    protected async Task<DbInventoryStore> OpenAsync()
    {
        var next = CreateStore(Clock);
        opened.Add(next);
        await next.InitializeAsync(default);
        return next;
    }

    // ---- products ----------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Create_then_get_round_trips_and_finds_the_sku_in_any_case()
    {
        var created = await Store.CreateProductAsync(new NewProduct("Lamp-01", "Desk lamp", Usd(1999), 5, true), default);
        Assert.Equal("Lamp-01", created.Sku);
        Assert.Equal(Usd(1999), created.Price);
        Assert.Equal(5, created.Available);
        Assert.Equal(0, created.Reserved);
        Assert.True(created.Active);
        Assert.Equal(Users.Storage.StoreTime.Truncate(Clock.GetUtcNow()), created.CreateTime);

        var read = await Store.GetProductAsync("lamp-01", default);
        Assert.Equal(created, read);
        Assert.Null(await Store.GetProductAsync("lamp-02", default));

        var taken = await Assert.ThrowsAsync<CommerceException>(() => Store.CreateProductAsync(new NewProduct("LAMP-01", "Other", Usd(1), 0, true), default));
        Assert.Equal("SKU_TAKEN", taken.Reason);
        Assert.Equal(created, await Store.GetProductAsync("LAMP-01", default));
    }

    [SkippableFact]
    public async Task Update_changes_only_the_given_fields_and_refuses_a_stale_version()
    {
        var created = await Store.CreateProductAsync(new NewProduct("chair", "Chair", Usd(5000), 3, true), default);
        Clock.Advance(TimeSpan.FromSeconds(1));
        var renamed = await Store.UpdateProductAsync(new ProductChange("CHAIR", "Office chair", null, null, created.Version), default);
        Assert.Equal("Office chair", renamed.Name);
        Assert.Equal(Usd(5000), renamed.Price);
        Assert.NotEqual(created.Version, renamed.Version);
        Assert.True(renamed.UpdateTime > created.UpdateTime);

        var stale = await Assert.ThrowsAsync<CommerceException>(() => Store.UpdateProductAsync(new ProductChange("chair", null, Usd(1), false, created.Version), default));
        Assert.Equal("ETAG_MISMATCH", stale.Reason);
        Assert.Equal(renamed, await Store.GetProductAsync("chair", default));

        var repriced = await Store.UpdateProductAsync(new ProductChange("chair", null, Eur(4500), false, null), default);
        Assert.Equal((Eur(4500), false, "Office chair"), (repriced.Price, repriced.Active, repriced.Name));

        var missing = await Assert.ThrowsAsync<CommerceException>(() => Store.UpdateProductAsync(new ProductChange("nope", "x", null, null, null), default));
        Assert.Equal("PRODUCT_NOT_FOUND", missing.Reason);
    }

    [SkippableFact]
    public async Task Adjust_stock_never_goes_below_zero_and_applies_a_request_id_once()
    {
        await Store.CreateProductAsync(new NewProduct("bolt", "Bolt", Usd(10), 4, true), default);
        Assert.Equal(10, (await Store.AdjustStockAsync(new StockAdjustment("bolt", 6, "delivery", "r-1"), default)).Available);
        Assert.Equal(10, (await Store.AdjustStockAsync(new StockAdjustment("BOLT", 6, "delivery", "r-1"), default)).Available);
        Assert.Equal(3, (await Store.AdjustStockAsync(new StockAdjustment("bolt", -7, "damaged", null), default)).Available);

        var short_ = await Assert.ThrowsAsync<CommerceException>(() => Store.AdjustStockAsync(new StockAdjustment("bolt", -4, "count", "r-2"), default));
        Assert.Equal("INSUFFICIENT_STOCK", short_.Reason);
        Assert.Equal("3", short_.Metadata["available"]);
        Assert.Equal(3, (await Store.GetProductAsync("bolt", default))!.Available);

        // The refused request id was not recorded: a valid retry under it applies.
        Assert.Equal(0, (await Store.AdjustStockAsync(new StockAdjustment("bolt", -3, "count", "r-2"), default)).Available);
        var missing = await Assert.ThrowsAsync<CommerceException>(() => Store.AdjustStockAsync(new StockAdjustment("nut", 1, "", null), default));
        Assert.Equal("PRODUCT_NOT_FOUND", missing.Reason);
    }

    // ---- reservations ------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Reserve_holds_every_line_or_none_and_names_the_short_skus()
    {
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 5, true), default);
        await Store.CreateProductAsync(new NewProduct("B", "B", Usd(250), 1, true), default);
        await Store.CreateProductAsync(new NewProduct("c", "C", Usd(1), 0, true), default);

        var refused = await Assert.ThrowsAsync<CommerceException>(() => Store.ReserveAsync(Request("o-1", ("a", 2), ("b", 2), ("c", 1)), default));
        Assert.Equal(CommerceFailure.FailedPrecondition, refused.Failure);
        Assert.Equal("OUT_OF_STOCK", refused.Reason);
        Assert.Equal("B,c", refused.Metadata["skus"]);
        Assert.Equal("B=1,c=0", refused.Metadata["available"]);
        Assert.Equal(5, (await Store.GetProductAsync("a", default))!.Available);
        Assert.Null(await Store.GetReservationByOrderAsync("o-1", default));

        var reservation = await Store.ReserveAsync(Request("o-1", ("a", 2), ("b", 1)), default);
        Assert.Equal(ReservationState.Active, reservation.State);
        Assert.Equal(Usd(450), reservation.Total);
        Assert.Equal([new ReservedLine("a", 2), new ReservedLine("B", 1)], reservation.Lines);
        Assert.Equal(reservation.CreateTime + TimeSpan.FromMinutes(15), reservation.ExpireTime);
        var a = (await Store.GetProductAsync("a", default))!;
        Assert.Equal((3L, 2L), (a.Available, a.Reserved));
        Assert.Equal(reservation, await Store.GetReservationAsync(reservation.ReservationId, default));
    }

    [SkippableFact]
    public async Task Reserve_refuses_unknown_and_inactive_products()
    {
        await Store.CreateProductAsync(new NewProduct("off", "Off", Usd(100), 5, false), default);
        Assert.Equal("PRODUCT_NOT_FOUND", (await Assert.ThrowsAsync<CommerceException>(() => Store.ReserveAsync(Request("o-1", ("ghost", 1)), default))).Reason);
        Assert.Equal("PRODUCT_INACTIVE", (await Assert.ThrowsAsync<CommerceException>(() => Store.ReserveAsync(Request("o-1", ("off", 1)), default))).Reason);
        Assert.Equal(5, (await Store.GetProductAsync("off", default))!.Available);
    }

    [SkippableFact]
    public async Task Reserve_is_idempotent_on_the_order_id()
    {
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 5, true), default);
        var first = await Store.ReserveAsync(Request("order-7", ("a", 2)), default);
        var again = await Store.ReserveAsync(Request("order-7", ("A", 2)), default);
        Assert.Equal(first, again);
        Assert.Equal(3, (await Store.GetProductAsync("a", default))!.Available);

        var other = await Assert.ThrowsAsync<CommerceException>(() => Store.ReserveAsync(Request("order-7", ("a", 3)), default));
        Assert.Equal("RESERVATION_MISMATCH", other.Reason);
        Assert.Equal(3, (await Store.GetProductAsync("a", default))!.Available);
    }

    [SkippableFact]
    public async Task Commit_sells_the_stock_and_then_release_is_refused()
    {
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 5, true), default);
        var reservation = await Store.ReserveAsync(Request("o", ("a", 2)), default);

        var committed = await Store.CommitAsync(reservation.ReservationId, default);
        Assert.Equal(ReservationState.Committed, committed.State);
        Assert.Equal(committed, await Store.CommitAsync(reservation.ReservationId, default));
        var a = (await Store.GetProductAsync("a", default))!;
        Assert.Equal((3L, 0L), (a.Available, a.Reserved));

        Assert.Equal("RESERVATION_COMMITTED", (await Assert.ThrowsAsync<CommerceException>(() => Store.ReleaseAsync(reservation.ReservationId, default))).Reason);
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(ReservationState.Committed, (await Store.GetReservationAsync(reservation.ReservationId, default))!.State);
        Assert.Equal(0, await Store.SweepExpiredAsync(100, default));
        Assert.Equal(3, (await Store.GetProductAsync("a", default))!.Available);
        Assert.Equal("RESERVATION_NOT_FOUND", (await Assert.ThrowsAsync<CommerceException>(() => Store.CommitAsync("missing", default))).Reason);
    }

    [SkippableFact]
    public async Task Release_gives_the_stock_back_once_and_then_commit_is_refused()
    {
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 5, true), default);
        var reservation = await Store.ReserveAsync(Request("o", ("a", 2)), default);

        var released = await Store.ReleaseAsync(reservation.ReservationId, default);
        Assert.Equal(ReservationState.Released, released.State);
        Assert.Equal(released, await Store.ReleaseAsync(reservation.ReservationId, default));
        var a = (await Store.GetProductAsync("a", default))!;
        Assert.Equal((5L, 0L), (a.Available, a.Reserved));
        Assert.Equal("RESERVATION_RELEASED", (await Assert.ThrowsAsync<CommerceException>(() => Store.CommitAsync(reservation.ReservationId, default))).Reason);
    }

    [SkippableFact]
    public async Task An_expired_reservation_reads_expired_refuses_commit_and_the_sweep_returns_its_stock_once()
    {
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 5, true), default);
        var reservation = await Store.ReserveAsync(Request("o", TimeSpan.FromSeconds(30), ("a", 2)), default);
        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(0, await Store.SweepExpiredAsync(100, default));
        Clock.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(ReservationState.Expired, (await Store.GetReservationAsync(reservation.ReservationId, default))!.State);
        Assert.Equal("RESERVATION_EXPIRED", (await Assert.ThrowsAsync<CommerceException>(() => Store.CommitAsync(reservation.ReservationId, default))).Reason);
        Assert.Equal(3, (await Store.GetProductAsync("a", default))!.Available);

        Assert.Equal(1, await Store.SweepExpiredAsync(100, default));
        Assert.Equal(0, await Store.SweepExpiredAsync(100, default));
        var a = (await Store.GetProductAsync("a", default))!;
        Assert.Equal((5L, 0L), (a.Available, a.Reserved));
        Assert.Equal(ReservationState.Expired, (await Store.ReleaseAsync(reservation.ReservationId, default)).State);
        Assert.Equal(5, (await Store.GetProductAsync("a", default))!.Available);
    }

    [SkippableFact]
    public async Task Releasing_an_expired_reservation_before_the_sweep_gives_its_stock_back_once()
    {
        await Store.CreateProductAsync(new NewProduct("a", "A", Usd(100), 5, true), default);
        var reservation = await Store.ReserveAsync(Request("o", TimeSpan.FromSeconds(5), ("a", 4)), default);
        Clock.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(ReservationState.Expired, (await Store.ReleaseAsync(reservation.ReservationId, default)).State);
        Assert.Equal(0, await Store.SweepExpiredAsync(100, default));
        Assert.Equal(5, (await Store.GetProductAsync("a", default))!.Available);
    }

    [SkippableFact]
    public async Task A_hundred_concurrent_reservations_for_the_last_ten_items_give_exactly_ten()
    {
        await Store.CreateProductAsync(new NewProduct("last", "Last ones", Usd(100), 10, true), default);
        var second = await OpenAsync();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 100).Select(async i =>
        {
            try
            {
                await (i % 2 == 0 ? Store : second).ReserveAsync(Request($"order-{i}", ("last", 1)), default);
                return "reserved";
            }
            catch (CommerceException e)
            {
                return e.Reason;
            }
        }));

        Assert.Equal(10, outcomes.Count(o => o == "reserved"));
        Assert.Equal(90, outcomes.Count(o => o == "OUT_OF_STOCK"));
        var last = (await Store.GetProductAsync("last", default))!;
        Assert.Equal((0L, 10L), (last.Available, last.Reserved));
    }

    // ---- listing -----------------------------------------------------------------------------------

    [SkippableFact]
    public async Task List_filters_sorts_and_pages_through_every_match_once()
    {
        var names = new[] { "Desk lamp", "Floor LAMP", "Chair", "Lamp shade", "Table", "Wall lamp", "Lampion" };
        for (var i = 0; i < names.Length; i++)
        {
            await Store.CreateProductAsync(new NewProduct($"p{i}", names[i], Usd(100 * (i % 3)), i, i != 3), default);
            Clock.Advance(TimeSpan.FromSeconds(1));
        }

        var filter = ProductFilter.Parse("name:\"*lamp*\" AND available > 0");
        Assert.Equal(4, await Store.CountProductsAsync(filter, default));
        var order = new ProductOrder(ProductOrderField.Price, Descending: true);
        var seen = new List<ProductRecord>();
        ProductPosition? after = null;
        while (true)
        {
            var page = await Store.ListProductsAsync(new ProductQuery(filter, order, after, 2), default);
            seen.AddRange(page);
            if (page.Count < 2)
            {
                break;
            }

            after = new ProductPosition(DbInventoryStore.SortValue(page[^1], order.Field), page[^1].Id);
        }

        // The lamps in stock are p1 (100), p3 (0), p5 (200), p6 (0); by price desc, then id desc.
        Assert.Equal(["p5", "p1", "p6", "p3"], seen.Select(p => p.Sku));
        Assert.Equal(["p3"], (await Store.ListProductsAsync(new ProductQuery(ProductFilter.Parse("active = false"), ProductOrder.BySku, null, 10), default)).Select(p => p.Sku));
        Assert.Equal(["p1", "p2", "p4"], (await Store.ListProductsAsync(new ProductQuery(ProductFilter.Parse("price = 100 OR sku = P2"), ProductOrder.BySku, null, 10), default)).Select(p => p.Sku));
        Assert.Equal(7, await Store.CountProductsAsync(null, default));
    }

    protected static Amount Usd(long cents) => new(cents, "USD");

    protected static Amount Eur(long cents) => new(cents, "EUR");

    protected static ReservationRequest Request(string orderId, params (string Sku, int Quantity)[] lines) =>
        Request(orderId, TimeSpan.FromMinutes(15), lines);

    protected static ReservationRequest Request(string orderId, TimeSpan ttl, params (string Sku, int Quantity)[] lines) =>
        new(orderId, [.. lines.Select(l => new ReservedLine(l.Sku, l.Quantity))], ttl);
}
