using System.Globalization;
using Grpc.Core;

namespace Tessera.Server.Observability;

/// <summary>Status codes as the gRPC specification spells them (<c>NOT_FOUND</c>), for metric labels and logs.</summary>
public static class GrpcStatusNames
{
    private static readonly Dictionary<StatusCode, string> Names = new()
    {
        [StatusCode.OK] = "OK",
        [StatusCode.Cancelled] = "CANCELLED",
        [StatusCode.Unknown] = "UNKNOWN",
        [StatusCode.InvalidArgument] = "INVALID_ARGUMENT",
        [StatusCode.DeadlineExceeded] = "DEADLINE_EXCEEDED",
        [StatusCode.NotFound] = "NOT_FOUND",
        [StatusCode.AlreadyExists] = "ALREADY_EXISTS",
        [StatusCode.PermissionDenied] = "PERMISSION_DENIED",
        [StatusCode.ResourceExhausted] = "RESOURCE_EXHAUSTED",
        [StatusCode.FailedPrecondition] = "FAILED_PRECONDITION",
        [StatusCode.Aborted] = "ABORTED",
        [StatusCode.OutOfRange] = "OUT_OF_RANGE",
        [StatusCode.Unimplemented] = "UNIMPLEMENTED",
        [StatusCode.Internal] = "INTERNAL",
        [StatusCode.Unavailable] = "UNAVAILABLE",
        [StatusCode.DataLoss] = "DATA_LOSS",
        [StatusCode.Unauthenticated] = "UNAUTHENTICATED",
    };

    public static string Of(StatusCode code) => Names.GetValueOrDefault(code, "UNKNOWN");

    /// <summary>The name for a <c>grpc-status</c> header or trailer value; UNKNOWN for anything that is not a code.</summary>
    public static string Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? Of((StatusCode)code) : "UNKNOWN";
}
