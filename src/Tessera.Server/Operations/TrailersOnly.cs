using System.Globalization;
using Google.Protobuf;

namespace Tessera.Server.Operations;

/// <summary>
/// Answers a gRPC call before it reaches a service, as gRPC itself would: HTTP 200, <c>application/grpc</c>, and the
/// status in the headers only (<c>grpc-status</c>, <c>grpc-message</c>, <c>grpc-status-details-bin</c>).
/// </summary>
public static class TrailersOnly
{
    public static Task WriteAsync(HttpContext context, Google.Rpc.Status status)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/grpc";
        response.Headers["grpc-status"] = status.Code.ToString(CultureInfo.InvariantCulture);
        response.Headers["grpc-message"] = Uri.EscapeDataString(status.Message);
        response.Headers["grpc-status-details-bin"] = Convert.ToBase64String(status.ToByteArray()).TrimEnd('=');
        return Task.CompletedTask;
    }
}
