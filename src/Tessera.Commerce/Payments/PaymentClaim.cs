namespace Tessera.Commerce.Payments;

/// <summary>
/// The answer to claiming an order id: <paramref name="ClaimToken"/> is set when this caller now owns the PROCESSING
/// row and must charge (then <paramref name="Payment"/> is that row); otherwise <paramref name="Payment"/> is the
/// payment another call made or is making for the order. Both null: the order's claim was released while this call
/// looked at it; claim again.
/// </summary>
public sealed record PaymentClaim(PaymentRecord? Payment, string? ClaimToken);
