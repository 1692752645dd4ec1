using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>What the processor is asked to charge; <paramref name="PaymentId"/> is its idempotency key.</summary>
public sealed record ChargeRequest(string PaymentId, Amount Amount, string PaymentMethodToken);
