using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>
/// The payment processor. A decline is a result, not an error; a processor that cannot be reached throws
/// <see cref="PaymentErrors.ProcessorUnavailable"/> and has charged nothing; an unknown token throws
/// <see cref="PaymentErrors.UnknownPaymentMethod"/>.
/// </summary>
public interface IPaymentProcessor
{
    /// <summary>Charges once per payment id: the same id again answers the first charge's result, charging nothing more.</summary>
    Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken);

    /// <summary>
    /// The result of the charge the processor made for <paramref name="paymentId"/>, or null when it made none (asked
    /// when the process that started a charge died before recording how it ended).
    /// </summary>
    Task<ChargeResult?> FindChargeAsync(string paymentId, CancellationToken cancellationToken);

    /// <summary>Gives back <paramref name="amount"/> of the charge <paramref name="chargeReference"/>; returns the refund's reference.</summary>
    Task<string> RefundAsync(string chargeReference, Amount amount, CancellationToken cancellationToken);
}
