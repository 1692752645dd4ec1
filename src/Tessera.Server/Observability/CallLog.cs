namespace Tessera.Server.Observability;

/// <summary>
/// The one line logged per call (by <see cref="GrpcMetricsMiddleware"/>). It holds who called what, how it ended and
/// how long it took; never a message body or any metadata (so no passwords, tokens or authorization headers).
/// </summary>
public static partial class CallLog
{
    /// <summary>The log category of the call lines (set its level to turn them off or on with the other logs).</summary>
    public const string Category = "Tessera.Server.Observability.CallLog";

    public const string Anonymous = "anonymous";

    /// <summary>Whether a call that ended with <paramref name="status"/> gets a line under <paramref name="mode"/>.</summary>
    public static bool Logs(CallLogMode mode, string status) => mode switch
    {
        CallLogMode.All => true,
        CallLogMode.Failed => status != "OK",
        _ => false,
    };

    [LoggerMessage(EventId = 1, EventName = "GrpcCall", Level = LogLevel.Information,
        Message = "gRPC {GrpcMethod} from {Peer} as {User}: {GrpcStatus} in {DurationMs:0.0} ms")]
    public static partial void Call(ILogger logger, string grpcMethod, string peer, string user, string grpcStatus, double durationMs);

    /// <summary>The signed-in user's <c>name</c> claim, else "anonymous".</summary>
    public static string UserOf(HttpContext context) => context.User.FindFirst("name")?.Value ?? Anonymous;

    /// <summary>The peer as gRPC writes it: <c>ipv4:127.0.0.1:5000</c>, <c>ipv6:[::1]:5000</c>.</summary>
    public static string PeerOf(HttpContext context)
    {
        var connection = context.Connection;
        return connection.RemoteIpAddress switch
        {
            null => "unknown",
            { AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ipv6 => $"ipv6:[{ipv6}]:{connection.RemotePort}",
            var ipv4 => $"ipv4:{ipv4}:{connection.RemotePort}",
        };
    }
}
