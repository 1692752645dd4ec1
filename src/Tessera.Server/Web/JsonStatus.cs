using Google.Protobuf;
using Google.Protobuf.Reflection;
using Google.Rpc;
using Tessera.Contracts;

namespace Tessera.Server.Web;

/// <summary>
/// A <c>google.rpc.Status</c> as the JSON body of an HTTP response, with the HTTP status that gRPC's code maps to
/// (google.rpc.Code's mapping, as JSON transcoding uses for errors raised by the services).
/// </summary>
public static class JsonStatus
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithTypeRegistry(
        TypeRegistry.FromFiles(ErrorDetailsReflection.Descriptor)));

    /// <summary>
    /// Where a REST call's status name is kept for its metrics and log line (a REST answer has no <c>grpc-status</c>):
    /// written here, or by <see cref="CallInterceptor"/> when the service ended the call.
    /// </summary>
    public static readonly object StatusKey = new();

    /// <summary>Keeps the status a REST call ended with (gRPC calls carry theirs in the trailers).</summary>
    public static void Ended(HttpContext context, Grpc.Core.StatusCode status)
    {
        if (!Operations.GrpcRequest.Is(context))
        {
            context.Items[StatusKey] = status.Name();
        }
    }

    /// <summary>Writes the status; <paramref name="httpStatus"/> overrides the code's own HTTP status where HTTP has a closer one.</summary>
    public static async Task WriteAsync(HttpContext context, Google.Rpc.Status status, int? httpStatus = null)
    {
        context.Items[StatusKey] = ((Grpc.Core.StatusCode)status.Code).Name();
        var response = context.Response;
        response.StatusCode = httpStatus ?? HttpStatusOf((Code)status.Code);
        response.ContentType = "application/json; charset=utf-8";
        await response.WriteAsync(Formatter.Format(status), context.RequestAborted);
    }

    public static int HttpStatusOf(Code code) => code switch
    {
        Code.Ok => StatusCodes.Status200OK,
        Code.Cancelled => 499,
        Code.InvalidArgument or Code.FailedPrecondition or Code.OutOfRange => StatusCodes.Status400BadRequest,
        Code.DeadlineExceeded => StatusCodes.Status504GatewayTimeout,
        Code.NotFound => StatusCodes.Status404NotFound,
        Code.AlreadyExists or Code.Aborted => StatusCodes.Status409Conflict,
        Code.PermissionDenied => StatusCodes.Status403Forbidden,
        Code.Unauthenticated => StatusCodes.Status401Unauthorized,
        Code.ResourceExhausted => StatusCodes.Status429TooManyRequests,
        Code.Unimplemented => StatusCodes.Status501NotImplemented,
        Code.Unavailable => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status500InternalServerError,
    };
}
