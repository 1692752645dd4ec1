using Google.Rpc;
using Grpc.Core;

namespace Tessera.Commerce.Orders.Saga;

/// <summary>
/// What an error from a called service means for the saga. A definite refusal (the service answered and did nothing:
/// OUT_OF_STOCK, UNKNOWN_SKU, a bad request, a refused token, a service not served there, a processor that charged
/// nothing) lets the saga fail the order now. Any
/// other error (UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, INTERNAL, ...) leaves the outcome unknown: the call may
/// have done its work. Then the order stays at its step and recovery asks the service what happened.
/// </summary>
internal static class PeerFailures
{
    public const string Users = "user.v1.UserService";

    public const string Inventory = "inventory.v1.InventoryService";

    public const string Payments = "payment.v1.PaymentService";

    /// <summary>What undoing an order calls: the refund and the return of the stock.</summary>
    public const string Compensation = "payment.v1.PaymentService or inventory.v1.InventoryService";

    /// <summary>payment.v1's reason for a processor that could not be reached: nothing was charged.</summary>
    public const string ProcessorUnavailable = "PROCESSOR_UNAVAILABLE";

    public static bool IsDefinite(RpcException error) =>
        error.StatusCode is StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.AlreadyExists
            or StatusCode.FailedPrecondition or StatusCode.PermissionDenied or StatusCode.OutOfRange or StatusCode.Unauthenticated
            or StatusCode.Unimplemented
        || (error.StatusCode == StatusCode.Unavailable && ReasonOf(error) == ProcessorUnavailable);

    /// <summary>The failure an order records for <paramref name="error"/> from <paramref name="service"/>: its code, its ErrorInfo reason kept.</summary>
    public static OrderFailure Of(RpcException error, string service)
    {
        if (ReasonOf(error) is { } reason)
        {
            // A Tessera service's own refusal: its message is written for the caller.
            return new OrderFailure(error.StatusCode, reason, $"{service}: {error.Status.Detail}");
        }

        // Made by the transport or the client (a connection refused, a TLS failure, a deadline): its text names
        // exceptions and addresses, which stay in the log.
        var code = CodeName(error.StatusCode);
        var what = error.StatusCode switch
        {
            StatusCode.Unavailable => "could not be reached",
            StatusCode.DeadlineExceeded => "did not answer before the deadline",
            StatusCode.Cancelled => "call was cancelled",
            _ => $"answered {code}",
        };
        return new OrderFailure(error.StatusCode, code, $"{service} {what}; try again later");
    }

    /// <summary>The ErrorInfo reason of the status, when the service sent one.</summary>
    public static string? ReasonOf(RpcException error) =>
        error.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason is { Length: > 0 } reason ? reason : null;

    private static string CodeName(StatusCode code) => code switch
    {
        StatusCode.DeadlineExceeded => "DEADLINE_EXCEEDED",
        StatusCode.Unavailable => "UNAVAILABLE",
        StatusCode.Cancelled => "CANCELLED",
        _ => System.Text.RegularExpressions.Regex.Replace(code.ToString(), "(?<=[a-z])(?=[A-Z])", "_").ToUpperInvariant(),
    };
}
