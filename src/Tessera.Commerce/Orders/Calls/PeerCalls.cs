namespace Tessera.Commerce.Orders.Calls;

/// <summary>How long one outgoing call may take at most. An incoming call's shorter deadline wins (<see cref="IncomingDeadline"/>).</summary>
internal static class PeerCalls
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static DateTime Deadline() => IncomingDeadline.Cap(DateTime.UtcNow + Timeout);
}
