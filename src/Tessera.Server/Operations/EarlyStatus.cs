namespace Tessera.Server.Operations;

/// <summary>
/// Answers a call refused before it reaches its service (rate limit, authorization) in the caller's own protocol:
/// a gRPC status in the headers for gRPC and gRPC-Web, an HTTP status with a <c>google.rpc.Status</c> JSON body for
/// REST.
/// </summary>
public static class EarlyStatus
{
    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status) =>
        GrpcRequest.Is(context) ? TrailersOnly.WriteAsync(context, status) : Web.JsonStatus.WriteAsync(context, status);
}
