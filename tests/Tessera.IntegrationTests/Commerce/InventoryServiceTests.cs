using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Money.V1;

namespace Tessera.IntegrationTests.Commerce;

/// <summary>The inventory service through a real server (<c>--auth none</c>: every caller is an admin).</summary>
public sealed class InventoryServiceTests(TesseraServer server) : IClassFixture<TesseraServer>
{
    private readonly InventoryService.InventoryServiceClient inventory = new(server.Channel);

    [Fact]
    public async Task A_product_is_created_read_checked_and_listed()
    {
        var sku = Sku("Lamp");
        var created = (await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct(sku, 12, 1999) })).Product;
        Assert.Equal((sku, 12L, true), (created.Sku, created.Available, created.Active));
        Assert.NotEmpty(created.Etag);

        Assert.Equal(created, (await inventory.GetProductAsync(new GetProductRequest { Sku = sku.ToUpperInvariant() })).Product);
        var levels = (await inventory.CheckStockAsync(new CheckStockRequest { Skus = { sku.ToLowerInvariant(), "no-such-sku", sku } })).Levels;
        Assert.Equal(2, levels.Count);
        Assert.Equal((sku, true, 12L, 1999L), (levels[0].Sku, levels[0].Found, levels[0].Available, levels[0].Price.MinorUnits));
        Assert.Equal(("no-such-sku", false), (levels[1].Sku, levels[1].Found));

        var listed = await inventory.ListProductsAsync(new ListProductsRequest { Filter = $"sku = \"{sku}\" AND available > 10" });
        Assert.Equal([sku], listed.Products.Select(p => p.Sku));
        Assert.Equal(1, listed.TotalSize);
        Assert.Empty(listed.NextPageToken);
    }

    [Fact]
    public async Task Pages_follow_the_token_until_every_product_is_seen_once()
    {
        var prefix = Sku("page");
        for (var i = 0; i < 7; i++)
        {
            await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct($"{prefix}-{i}", i, 100 + i) });
        }

        var request = new ListProductsRequest { Filter = $"sku:\"{prefix}-*\"", OrderBy = "price desc", PageSize = 3 };
        var seen = new List<string>();
        do
        {
            var page = await inventory.ListProductsAsync(request);
            Assert.Equal(7, page.TotalSize);
            seen.AddRange(page.Products.Select(p => p.Sku));
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Assert.Equal(Enumerable.Range(0, 7).Reverse().Select(i => $"{prefix}-{i}"), seen);
        var other = await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            await inventory.ListProductsAsync(new ListProductsRequest { Filter = "available > 1", PageToken = (await inventory.ListProductsAsync(new ListProductsRequest { PageSize = 1 })).NextPageToken }));
        Assert.Contains("page_token", other.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_input_is_refused_with_a_status_a_reason_and_the_data_left_intact()
    {
        var sku = Sku("bad");
        await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct(sku, 2, 500) });

        var invalid = await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            await inventory.CreateProductAsync(new CreateProductRequest { Product = new Product { Sku = "no spaces", Name = "", Price = new Money { CurrencyCode = "usd", MinorUnits = 1 } } }));
        Assert.Equal(["product.sku", "product.name", "product.price"], invalid.ViolatedFields());

        Assert.Equal("SKU_TAKEN", (await Assertions.FailsWith(StatusCode.AlreadyExists, async () =>
            await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct(sku.ToUpperInvariant(), 1, 1) }))).Reason());
        Assert.Equal("PRODUCT_NOT_FOUND", (await Assertions.FailsWith(StatusCode.NotFound, async () =>
            await inventory.GetProductAsync(new GetProductRequest { Sku = Sku("ghost") }))).Reason());
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () => await inventory.ListProductsAsync(new ListProductsRequest { Filter = "colour = red" }));
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () => await inventory.ListProductsAsync(new ListProductsRequest { OrderBy = "colour" }));
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () => await inventory.ListProductsAsync(new ListProductsRequest { PageSize = -1 }));

        var product = (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product;
        await inventory.UpdateProductAsync(new UpdateProductRequest { Product = new Product { Sku = sku, Name = "Renamed" }, Etag = product.Etag });
        Assert.Equal("ETAG_MISMATCH", (await Assertions.FailsWith(StatusCode.Aborted, async () =>
            await inventory.UpdateProductAsync(new UpdateProductRequest { Product = new Product { Sku = sku, Name = "Stale" }, Etag = product.Etag }))).Reason());
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            await inventory.UpdateProductAsync(new UpdateProductRequest { Product = new Product { Sku = sku }, UpdateMask = new FieldMask { Paths = { "available" } } }));

        Assert.Equal("INSUFFICIENT_STOCK", (await Assertions.FailsWith(StatusCode.FailedPrecondition, async () =>
            await inventory.AdjustStockAsync(new AdjustStockRequest { Sku = sku, Delta = -3 }))).Reason());
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () => await inventory.AdjustStockAsync(new AdjustStockRequest { Sku = sku, Delta = 0 }));

        var outOfStock = await Assertions.FailsWith(StatusCode.FailedPrecondition, async () =>
            await inventory.ReserveItemsAsync(Reserve(Sku("order"), (sku, 3))));
        var info = outOfStock.GetDetail<ErrorInfo>()!;
        Assert.Equal(("OUT_OF_STOCK", "inventory.v1.tessera", sku, $"{sku}=2"), (info.Reason, info.Domain, info.Metadata["skus"], info.Metadata["available"]));
        var duplicate = await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            await inventory.ReserveItemsAsync(Reserve(Sku("order"), (sku, 1), (sku.ToUpperInvariant(), 1))));
        Assert.Equal(["lines[1].sku"], duplicate.ViolatedFields());
        await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            await inventory.ReserveItemsAsync(new ReserveItemsRequest { OrderId = Sku("order"), Lines = { new ReservationLine { Sku = sku, Quantity = 1 } }, Ttl = Duration.FromTimeSpan(TimeSpan.FromDays(2)) }));

        var after = (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product;
        Assert.Equal(("Renamed", 2L, 0L), (after.Name, after.Available, after.Reserved));
    }

    [Fact]
    public async Task A_reservation_is_idempotent_on_its_order_and_follows_the_state_rules()
    {
        var sku = Sku("res");
        var order = Sku("order");
        await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct(sku, 5, 250) });

        var reservation = (await inventory.ReserveItemsAsync(Reserve(order, (sku, 2)))).Reservation;
        Assert.Equal((Reservation.Types.State.Active, 500L), (reservation.State, reservation.Total.MinorUnits));
        Assert.Equal(reservation, (await inventory.ReserveItemsAsync(Reserve(order, (sku, 2)))).Reservation);
        Assert.Equal("RESERVATION_MISMATCH", (await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            await inventory.ReserveItemsAsync(Reserve(order, (sku, 1))))).Reason());
        Assert.Equal(reservation, (await inventory.GetReservationAsync(new GetReservationRequest { OrderId = order })).Reservation);

        var released = (await inventory.ReleaseReservationAsync(new ReleaseReservationRequest { ReservationId = reservation.ReservationId })).Reservation;
        Assert.Equal(Reservation.Types.State.Released, released.State);
        Assert.Equal(released, (await inventory.ReleaseReservationAsync(new ReleaseReservationRequest { ReservationId = reservation.ReservationId })).Reservation);
        Assert.Equal("RESERVATION_RELEASED", (await Assertions.FailsWith(StatusCode.FailedPrecondition, async () =>
            await inventory.CommitReservationAsync(new CommitReservationRequest { ReservationId = reservation.ReservationId }))).Reason());
        Assert.Equal(5, (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product.Available);

        var second = (await inventory.ReserveItemsAsync(Reserve(Sku("order"), (sku, 4)))).Reservation;
        Assert.Equal(Reservation.Types.State.Committed, (await inventory.CommitReservationAsync(new CommitReservationRequest { ReservationId = second.ReservationId })).Reservation.State);
        Assert.Equal("RESERVATION_COMMITTED", (await Assertions.FailsWith(StatusCode.FailedPrecondition, async () =>
            await inventory.ReleaseReservationAsync(new ReleaseReservationRequest { ReservationId = second.ReservationId }))).Reason());
        var product = (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product;
        Assert.Equal((1L, 0L), (product.Available, product.Reserved));
        Assert.Equal("RESERVATION_NOT_FOUND", (await Assertions.FailsWith(StatusCode.NotFound, async () =>
            await inventory.GetReservationAsync(new GetReservationRequest { ReservationId = "missing" }))).Reason());
    }

    [Fact]
    public async Task An_expired_reservation_gives_its_stock_back_by_itself()
    {
        var sku = Sku("ttl");
        await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct(sku, 3, 100) });
        var request = Reserve(Sku("order"), (sku, 3));
        request.Ttl = Duration.FromTimeSpan(TimeSpan.FromSeconds(1));
        var reservation = (await inventory.ReserveItemsAsync(request)).Reservation;
        Assert.Equal(0, (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product.Available);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while ((await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product.Available != 3)
        {
            await Task.Delay(100, deadline.Token);
        }

        Assert.Equal(Reservation.Types.State.Expired, (await inventory.GetReservationAsync(new GetReservationRequest { ReservationId = reservation.ReservationId })).Reservation.State);
        Assert.Equal("RESERVATION_EXPIRED", (await Assertions.FailsWith(StatusCode.FailedPrecondition, async () =>
            await inventory.CommitReservationAsync(new CommitReservationRequest { ReservationId = reservation.ReservationId }))).Reason());
    }

    [Fact]
    public async Task A_hundred_concurrent_reservations_for_the_last_ten_items_give_exactly_ten()
    {
        var sku = Sku("last");
        await inventory.CreateProductAsync(new CreateProductRequest { Product = NewProduct(sku, 10, 100) });
        var codes = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ =>
            Assertions.StatusOf(async () => await inventory.ReserveItemsAsync(Reserve(Sku("order"), (sku, 1))))));

        Assert.Equal(10, codes.Count(c => c == StatusCode.OK));
        Assert.Equal(90, codes.Count(c => c == StatusCode.FailedPrecondition));
        var product = (await inventory.GetProductAsync(new GetProductRequest { Sku = sku })).Product;
        Assert.Equal((0L, 10L), (product.Available, product.Reserved));
        Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
    }

    internal static string Sku(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..10]}";

    internal static Product NewProduct(string sku, long available, long cents) =>
        new() { Sku = sku, Name = $"Product {sku}", Price = new Money { CurrencyCode = "USD", MinorUnits = cents }, Available = available, Active = true };

    internal static ReserveItemsRequest Reserve(string orderId, params (string Sku, int Quantity)[] lines) =>
        new() { OrderId = orderId, Lines = { lines.Select(l => new ReservationLine { Sku = l.Sku, Quantity = l.Quantity }) } };
}
