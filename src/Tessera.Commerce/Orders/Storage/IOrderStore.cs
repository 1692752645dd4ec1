namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// Where orders and their saga steps are kept: orders.db on SQLite, the <c>orders</c> schema on PostgreSQL. Every
/// write after the first names the version it read (<see cref="OrderRecord.Version"/>), so a saga and a recovery pass
/// never both move one order.
/// </summary>
public interface IOrderStore
{
    /// <summary>
    /// Stores a new order, or, when its user already placed one with the same request_id, returns that one unchanged
    /// (<see cref="OrderCreation.Created"/> false). Concurrent calls with one request_id create one order.
    /// </summary>
    Task<OrderCreation> CreateAsync(OrderRecord order, CancellationToken cancellationToken);

    Task<OrderRecord?> GetAsync(string orderId, CancellationToken cancellationToken);

    /// <summary>
    /// Writes <paramref name="next"/> if the stored order is still at version <c>next.Version - 1</c>; false when
    /// another runner wrote it first (nothing is changed then). <paramref name="withLines"/> also rewrites the lines'
    /// prices.
    /// </summary>
    Task<bool> UpdateAsync(OrderRecord next, bool withLines, CancellationToken cancellationToken);

    /// <summary>A page of orders, newest first (created time, then id), after <see cref="OrderQuery.After"/>.</summary>
    Task<IReadOnlyList<OrderRecord>> ListAsync(OrderQuery query, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="limit"/> orders a recovery pass must finish or undo: every order not in a final step
    /// nor awaiting payment, and awaiting-payment ones whose reservation expired before <paramref name="now"/>, whose
    /// lease is free (none or ended before <paramref name="now"/>). Each is returned leased until
    /// <paramref name="leaseUntil"/> (its version grown by one); orders another replica is claiming at the same moment
    /// are skipped, not waited for.
    /// </summary>
    Task<IReadOnlyList<OrderRecord>> ClaimForRecoveryAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken);
}
