using Tessera.Commerce.Money;
using Tessera.Commerce.Payments;

namespace Tessera.Commerce.Tests.Payments;

/// <summary>
/// The simulated processor, counting the charges and refunds it is asked for. A charge can be held at a gate
/// (<see cref="Hold"/>) until the test lets it go, to make calls overlap or outlive their callers.
/// </summary>
internal sealed class CountingProcessor : IPaymentProcessor
{
    private readonly SimulatedPaymentProcessor inner = new(TimeProvider.System);
    private TaskCompletionSource? gate;
    private int charges;
    private int refunds;

    public int Charges => Volatile.Read(ref charges);

    public int Refunds => Volatile.Read(ref refunds);

    /// <summary>From now on charges wait (ignoring their cancellation, like a processor mid-charge) until <see cref="Release"/>.</summary>
    public void Hold() => gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Release() => gate?.TrySetResult();

    public async Task<ChargeResult> ChargeAsync(ChargeRequest request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref charges);
        if (gate is { } held)
        {
            await held.Task.WaitAsync(TimeSpan.FromSeconds(15), CancellationToken.None);
        }

        return await inner.ChargeAsync(request, cancellationToken);
    }

    public Task<ChargeResult?> FindChargeAsync(string paymentId, CancellationToken cancellationToken) => inner.FindChargeAsync(paymentId, cancellationToken);

    public Task<string> RefundAsync(string chargeReference, Amount amount, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref refunds);
        return inner.RefundAsync(chargeReference, amount, cancellationToken);
    }
}
