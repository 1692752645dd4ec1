using Tessera.Commerce.Money;

namespace Tessera.Commerce.Payments;

/// <summary>
/// The processor of this build: the payment-method token chooses the outcome (see payment.proto and the README's
/// table). tok_slow waits <see cref="SlowDelay"/> on the injected <see cref="TimeProvider"/> before approving. Like a
/// real processor it keeps its charges by payment id (its idempotency key), here in memory: a charge that was running
/// when the payments process died was never made, and <see cref="FindChargeAsync"/> says so after a restart.
/// </summary>
public sealed class SimulatedPaymentProcessor(TimeProvider time) : IPaymentProcessor
{
    public const string Approve = "tok_approve";
    public const string Decline = "tok_decline";
    public const string InsufficientFunds = "tok_insufficient_funds";
    public const string ProcessorError = "tok_processor_error";
    public const string Slow = "tok_slow";

    public static readonly TimeSpan SlowDelay = TimeSpan.FromSeconds(2);

    public static IReadOnlyList<string> Tokens { get; } = [Approve, Decline, InsufficientFunds, ProcessorError, Slow];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, ChargeResult> charges = new(StringComparer.Ordinal);

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (charges.TryGetValue(request.PaymentId, out var made))
        {
            return made;
        }

        var result = await DecideAsync(request, cancellationToken);
        return charges.GetOrAdd(request.PaymentId, result);
    }

    public Task<ChargeResult?> FindChargeAsync(string paymentId, CancellationToken cancellationToken) =>
        Task.FromResult(charges.TryGetValue(paymentId, out var made) ? made : null);

    private async Task<ChargeResult> DecideAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        switch (request.PaymentMethodToken)
        {
            case Approve:
                return Approved();
            case Decline:
                return Declined("card_declined");
            case InsufficientFunds:
                return Declined("insufficient_funds");
            case ProcessorError:
                throw PaymentErrors.ProcessorUnavailable("the simulated processor answered with an error for tok_processor_error");
            case Slow:
                await Task.Delay(SlowDelay, time, cancellationToken);
                return Approved();
            default:
                throw PaymentErrors.UnknownPaymentMethod(request.PaymentMethodToken);
        }
    }

    public Task<string> RefundAsync(string chargeReference, Amount amount, CancellationToken cancellationToken) =>
        Task.FromResult(NewReference("sim_re_"));

    private static ChargeResult Approved() => new(true, NewReference("sim_ch_"), string.Empty);

    private static ChargeResult Declined(string code) => new(false, NewReference("sim_ch_"), code);

    private static string NewReference(string prefix) => prefix + Guid.NewGuid().ToString("N");
}
