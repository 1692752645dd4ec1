using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>A checked refund request: <paramref name="Amount"/> null means everything not yet refunded.</summary>
public sealed record RefundRequest(PaymentKey Payment, Amount? Amount, string Reason, string? RequestId);
