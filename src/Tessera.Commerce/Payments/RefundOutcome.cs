namespace Tessera.Commerce.Payments;

/// <summary>The refund made (or the one an earlier call with the same request_id made) and the payment after it.</summary>
public sealed record RefundOutcome(RefundRecord Refund, PaymentRecord Payment);
