using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>
/// The payment processor. A decline is a result, not an error; a processor that cannot be reached throws
/// <see cref="PaymentErrors.ProcessorUnavailable"/> and has charged nothing; an unknown token throws
/// <see cref="PaymentErrors.UnknownPaymentMethod"/>.
/// </summary>
public interface IPaymentProcessor
{
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    /// <summary>Gives back <paramref name="amount"/> of the charge <paramref name="chargeReference"/>; returns the refund's reference.</summary>
    Task<string> RefundAsync(string chargeReference, Amount amount, CancellationToken cancellationToken);
}
