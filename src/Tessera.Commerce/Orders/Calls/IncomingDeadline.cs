namespace Tessera.Commerce.Orders.Calls;

/// <summary>
/// The deadline of the order call being served, which the peer calls it makes must not outlive
/// (<see cref="PeerCalls.Deadline"/>). Set by the order service's handlers that call peers; background work (recovery)
/// has none. Cancellation needs no such help: the handlers pass the incoming call's token down explicitly.
/// <para>
/// Grpc.AspNetCore's call-context propagation would do this too, but it needs <c>IHttpContextAccessor</c>, and with
/// that registered every call to every service in the process sets an async-local HttpContext and ASP.NET Core stops
/// reusing HttpContext objects between requests (about 0.9 KB more garbage per GetUser).
/// </para>
/// </summary>
internal static class IncomingDeadline
{
    private static readonly AsyncLocal<DateTime> Current = new();

    /// <summary>
    /// Called first in a handler (with <c>ServerCallContext.Deadline</c>), an async method: the deadline flows into
    /// everything it awaits and ends with it.
    /// </summary>
    public static void Set(DateTime deadline) => Current.Value = deadline;

    /// <summary>The earlier of <paramref name="deadline"/> and the incoming call's.</summary>
    public static DateTime Cap(DateTime deadline) =>
        Current.Value != default && Current.Value < deadline ? Current.Value : deadline;
}
