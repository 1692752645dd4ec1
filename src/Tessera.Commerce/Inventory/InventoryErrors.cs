using System.Globalization;

namespace Tessera.Commerce.Inventory;

/// <summary>The inventory service's refusals, each a <see cref="CommerceException"/> in the domain "inventory.v1.tessera".</summary>
public static class InventoryErrors
{
    public const string Domain = "inventory.v1.tessera";

    public static CommerceException Invalid(params (string Field, string Description)[] violations) => CommerceException.Invalid(Domain, violations);

    public static CommerceException ProductNotFound(string sku) =>
        new CommerceException(CommerceFailure.NotFound, Domain, "PRODUCT_NOT_FOUND", $"no product has the SKU '{sku}'").With("sku", sku);

    public static CommerceException SkuTaken(string sku) =>
        new CommerceException(CommerceFailure.AlreadyExists, Domain, "SKU_TAKEN", $"the SKU '{sku}' is already used by a product (SKUs are compared case-insensitively)").With("sku", sku);

    public static CommerceException ProductInactive(string sku) =>
        new CommerceException(CommerceFailure.FailedPrecondition, Domain, "PRODUCT_INACTIVE", $"the product '{sku}' is inactive and cannot be reserved").With("sku", sku);

    /// <summary>Metadata "skus" lists the short SKUs (comma-separated); "available" gives each one's stock as "sku=n".</summary>
    public static CommerceException OutOfStock(IReadOnlyList<(string Sku, long Available)> shortages)
    {
        ArgumentNullException.ThrowIfNull(shortages);
        var listed = string.Join(", ", shortages.Select(s => $"{s.Sku} ({s.Available.ToString(CultureInfo.InvariantCulture)} available)"));
        return new CommerceException(CommerceFailure.FailedPrecondition, Domain, "OUT_OF_STOCK", $"not enough stock for {listed}; nothing was reserved")
            .With("skus", string.Join(",", shortages.Select(s => s.Sku)))
            .With("available", string.Join(",", shortages.Select(s => $"{s.Sku}={s.Available.ToString(CultureInfo.InvariantCulture)}")));
    }

    public static CommerceException MixedCurrencies(string orderId) =>
        new CommerceException(CommerceFailure.FailedPrecondition, Domain, "MIXED_CURRENCIES", $"the products of order '{orderId}' are priced in different currencies; reserve them in separate orders")
            .With("order_id", orderId);

    public static CommerceException ReservationNotFound(string reservationId) =>
        new CommerceException(CommerceFailure.NotFound, Domain, "RESERVATION_NOT_FOUND", $"no reservation '{reservationId}'").With("reservation_id", reservationId);

    public static CommerceException ReservationForOrderNotFound(string orderId) =>
        new CommerceException(CommerceFailure.NotFound, Domain, "RESERVATION_NOT_FOUND", $"no reservation for the order '{orderId}'").With("order_id", orderId);

    public static CommerceException ReservationExpired(string reservationId) =>
        new CommerceException(CommerceFailure.FailedPrecondition, Domain, "RESERVATION_EXPIRED", $"the reservation '{reservationId}' expired and its stock was given back; reserve again")
            .With("reservation_id", reservationId);

    public static CommerceException ReservationReleased(string reservationId) =>
        new CommerceException(CommerceFailure.FailedPrecondition, Domain, "RESERVATION_RELEASED", $"the reservation '{reservationId}' was released; reserve again")
            .With("reservation_id", reservationId);

    public static CommerceException ReservationCommitted(string reservationId) =>
        new CommerceException(CommerceFailure.FailedPrecondition, Domain, "RESERVATION_COMMITTED", $"the reservation '{reservationId}' is committed: its stock is sold and cannot be released")
            .With("reservation_id", reservationId);

    public static CommerceException ReservationMismatch(string orderId) =>
        new CommerceException(CommerceFailure.InvalidArgument, Domain, "RESERVATION_MISMATCH", $"the order '{orderId}' already has a reservation with other lines; one order has one reservation")
            .With("order_id", orderId);

    public static CommerceException InsufficientStock(string sku, long available, long delta) =>
        new CommerceException(
                CommerceFailure.FailedPrecondition,
                Domain,
                "INSUFFICIENT_STOCK",
                $"taking {(-delta).ToString(CultureInfo.InvariantCulture)} from '{sku}' would leave less than zero ({available.ToString(CultureInfo.InvariantCulture)} available)")
            .With("sku", sku)
            .With("available", available.ToString(CultureInfo.InvariantCulture));

    public static CommerceException EtagMismatch(string sku) =>
        new CommerceException(CommerceFailure.Aborted, Domain, "ETAG_MISMATCH", $"the product '{sku}' changed since that etag was read; get it again and retry").With("sku", sku);
}
