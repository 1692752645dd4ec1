namespace Tessera.Commerce.Payments;

/// <summary>Where a stored payment stands. The numbers are what the stores keep.</summary>
public enum PaymentStatus
{
    /// <summary>Claimed by a call that is charging it now; never returned to a client as a result.</summary>
    Processing = 0,
    Captured = 1,
    Declined = 2,
    Refunded = 3,
}
