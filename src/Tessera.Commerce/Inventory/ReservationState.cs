namespace Tessera.Commerce.Inventory;

/// <summary>Where a reservation is in its life; the numbers are the proto's and what the stores keep.</summary>
public enum ReservationState
{
    Active = 1,
    Committed = 2,
    Released = 3,
    Expired = 4,
}
