namespace Tessera.Server.Operations;

public static class GrpcRequest
{
    /// <summary>Whether a request is a gRPC call (content-type <c>application/grpc</c>, with or without a suffix).</summary>
    public static bool Is(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;
}
