namespace Tessera.Commerce.Orders.Storage;

/// <summary>
/// One page of ListOrders: one user's orders (or everyone's when <paramref name="UserId"/> is null), only those at
/// <paramref name="Steps"/> (all when null), at most <paramref name="Limit"/>, after <paramref name="After"/>.
/// </summary>
public sealed record OrderQuery(long? UserId, IReadOnlyList<SagaStep>? Steps, int Limit, OrderPosition? After);

/// <summary>Where a page ends: newest first by creation time, then by order id (descending).</summary>
public sealed record OrderPosition(DateTimeOffset CreatedAt, string OrderId);
