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
    Amount Total)
{
    /// <summary>Equal when every field is, the lines compared in order.</summary>
    public bool Equals(ReservationRecord? other) =>
        other is not null
        && (ReservationId, OrderId, State, CreateTime, ExpireTime, Total) == (other.ReservationId, other.OrderId, other.State, other.CreateTime, other.ExpireTime, other.Total)
        && Lines.SequenceEqual(other.Lines);

    public override int GetHashCode() => HashCode.Combine(ReservationId, OrderId, State, CreateTime, ExpireTime, Total, Lines.Count);
}
