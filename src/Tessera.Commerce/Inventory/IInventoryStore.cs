using Tessera.Users.Filtering;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// The inventory's data: products and their stock, reservations holding stock for orders, the stock adjustments made.
/// Stock never goes below zero: every change is a conditional update inside one transaction. Refusals are
/// <see cref="CommerceException"/>s from <see cref="InventoryErrors"/>; SKUs are given as the caller spelled them and
/// matched case-insensitively.
/// </summary>
public interface IInventoryStore
{
    /// <exception cref="CommerceException">SKU_TAKEN.</exception>
    Task<ProductRecord> CreateProductAsync(NewProduct product, CancellationToken cancellationToken);

    Task<ProductRecord?> GetProductAsync(string sku, CancellationToken cancellationToken);

    /// <summary>The products among <paramref name="skus"/> that exist, in no particular order.</summary>
    Task<IReadOnlyList<ProductRecord>> GetProductsAsync(IReadOnlyCollection<string> skus, CancellationToken cancellationToken);

    /// <exception cref="CommerceException">PRODUCT_NOT_FOUND, ETAG_MISMATCH.</exception>
    Task<ProductRecord> UpdateProductAsync(ProductChange change, CancellationToken cancellationToken);

    /// <summary>Adds <see cref="StockAdjustment.Delta"/> to the available stock; a repeated request id changes nothing and returns the product.</summary>
    /// <exception cref="CommerceException">PRODUCT_NOT_FOUND, INSUFFICIENT_STOCK.</exception>
    Task<ProductRecord> AdjustStockAsync(StockAdjustment adjustment, CancellationToken cancellationToken);

    Task<IReadOnlyList<ProductRecord>> ListProductsAsync(ProductQuery query, CancellationToken cancellationToken);

    Task<int> CountProductsAsync(FilterExpression? filter, CancellationToken cancellationToken);

    /// <summary>
    /// Holds every line's stock or none. Idempotent on the order id: a repeat with the same lines returns the
    /// reservation already made (whatever its state now).
    /// </summary>
    /// <exception cref="CommerceException">PRODUCT_NOT_FOUND, PRODUCT_INACTIVE, OUT_OF_STOCK, RESERVATION_MISMATCH, MIXED_CURRENCIES.</exception>
    Task<ReservationRecord> ReserveAsync(ReservationRequest request, CancellationToken cancellationToken);

    /// <summary>Gives the stock back. Idempotent: a released or expired reservation is returned as it is.</summary>
    /// <exception cref="CommerceException">RESERVATION_NOT_FOUND, RESERVATION_COMMITTED.</exception>
    Task<ReservationRecord> ReleaseAsync(string reservationId, CancellationToken cancellationToken);

    /// <summary>Sells the held stock. Idempotent: a committed reservation is returned as it is.</summary>
    /// <exception cref="CommerceException">RESERVATION_NOT_FOUND, RESERVATION_EXPIRED, RESERVATION_RELEASED.</exception>
    Task<ReservationRecord> CommitAsync(string reservationId, CancellationToken cancellationToken);

    Task<ReservationRecord?> GetReservationAsync(string reservationId, CancellationToken cancellationToken);

    Task<ReservationRecord?> GetReservationByOrderAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Marks up to <paramref name="batch"/> reservations past their expiry EXPIRED and gives their stock back, each in
    /// one transaction with its state change, so concurrent sweepers return it once. Returns how many it expired.
    /// </summary>
    Task<int> SweepExpiredAsync(int batch, CancellationToken cancellationToken);
}
