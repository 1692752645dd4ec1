namespace Tessera.Commerce.Orders.Saga;

/// <summary>How the saga and its recovery pace themselves.</summary>
public sealed record OrderSagaOptions
{
    /// <summary>
    /// How long a runner (a live saga, a recovery pass) owns an order after each write; others leave it alone until
    /// then. Longer than any one step's calls take (each is bounded by <c>PeerCalls.Timeout</c>).
    /// </summary>
    public TimeSpan Lease { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long after a call ended with an unknown outcome (a deadline, an unreachable service) recovery waits before
    /// asking what happened, so that work still in flight on the other side has settled.
    /// </summary>
    public TimeSpan SettleTime { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How often the recovery pass runs (and once at start).</summary>
    public TimeSpan RecoveryInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>At most this many orders per claim; a pass claims again until none is left.</summary>
    public int RecoveryBatch { get; init; } = 50;
}
