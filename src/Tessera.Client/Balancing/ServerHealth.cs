namespace Tessera.Client.Balancing;

/// <summary>What a connected server last said about the health-checked service (grpc.health.v1).</summary>
internal enum ServerHealth
{
    /// <summary>Not connected, or connected and its first health answer not in yet: no calls, calls wait.</summary>
    Unknown,

    /// <summary>SERVING: gets calls.</summary>
    Serving,

    /// <summary>Any other status (NOT_SERVING, SERVICE_UNKNOWN, UNKNOWN): skipped while connected.</summary>
    NotServing,

    /// <summary>The server has no health service (UNIMPLEMENTED): it gets calls, as if health checking were off (gRPC A17).</summary>
    Unchecked,
}
