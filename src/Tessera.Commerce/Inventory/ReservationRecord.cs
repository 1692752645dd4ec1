using Tessera.Commerce.Money;

namespace Tessera.Commerce.Inventory;

/// <summary>
/// A reservation as read. <see cref="State"/> is the effective state: an active reservation past its expiry reads as
/// <see cref="ReservationState.Expired"/> even before the sweeper has given its stock back.
/// </summary>
public sealed record ReservationRecord(
    string ReservationId,
    string OrderId,
    IReadOnlyList<ReservedLine> Lines,
    ReservationState State,
    DateTimeOffset CreateTime,
    DateTimeOffset ExpireTime,
    Amount Total);
