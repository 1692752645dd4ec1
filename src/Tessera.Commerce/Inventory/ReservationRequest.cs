namespace Tessera.Commerce.Inventory;

/// <summary>A ReserveItems: one reservation per order, every line or none, held for <see cref="Ttl"/>.</summary>
public sealed record ReservationRequest(string OrderId, IReadOnlyList<ReservedLine> Lines, TimeSpan Ttl);
