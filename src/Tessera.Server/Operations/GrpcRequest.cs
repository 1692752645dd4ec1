using Grpc.AspNetCore.Server;

namespace Tessera.Server.Operations;

public static class GrpcRequest
{
    /// <summary>
    /// Whether a request is a gRPC call (content-type <c>application/grpc</c>, with or without a suffix). gRPC-Web
    /// calls count: the gRPC-Web middleware runs first and presents them as gRPC.
    /// </summary>
    public static bool Is(HttpContext context) =>
        context.Request.ContentType?.StartsWith("application/grpc", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>Whether a request calls a service method: over gRPC or gRPC-Web, or over REST (JSON transcoding).</summary>
    public static bool IsCall(HttpContext context) =>
        Is(context) || context.GetEndpoint()?.Metadata.GetMetadata<GrpcMethodMetadata>() is not null;
}
