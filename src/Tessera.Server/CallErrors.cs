using Grpc.Core;
using Tessera.Commerce;
using Tessera.Server.Operations;
using Tessera.Users.Storage;

namespace Tessera.Server;

/// <summary>
/// The last line for every call kind (applied by <see cref="CallInterceptor"/>): a refusal by a commerce rule becomes
/// its status (<see cref="CommerceErrors"/>); any other exception that is not already a gRPC status becomes INTERNAL,
/// or UNAVAILABLE when the store could not be reached and a retry can succeed (<see cref="StoreFailures"/>), with
/// nothing internal in its message (only a trace id); the details go to the log. A disk fault (full, read-only) is
/// RESOURCE_EXHAUSTED when the disk is full, else UNAVAILABLE, and goes to <see cref="StoreFaults"/>, which logs it once.
/// </summary>
public sealed class CallErrors(ILogger<CallErrors> logger, StoreFaults faults)
{
    private static bool ClientWentAway(ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested || context.GetHttpContext().RequestAborted.IsCancellationRequested;

    /// <summary>The status the caller gets for <paramref name="e"/>, which is not an <see cref="RpcException"/>.</summary>
    public RpcException Translate(Exception e, ServerCallContext context)
    {
        if (e is CommerceException commerce)
        {
            return CommerceErrors.ToRpcException(commerce);
        }

        if (ClientWentAway(context))
        {
            logger.LogDebug(e, "{Method} ended because the client cancelled or disconnected", context.Method);
            return new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client"));
        }

        var trace = context.GetHttpContext().TraceIdentifier;
        if (StoreFailures.IsDiskFault(e))
        {
            faults.Report(e, context.Method);
            return StoreFailures.IsDiskFull(e) ? Tessera.Users.RpcErrors.StoreFull(trace) : Tessera.Users.RpcErrors.StoreUnavailable(trace);
        }

        if (StoreFailures.IsTransient(e))
        {
            logger.LogError(e, "Store unavailable in {Method} ({Trace})", context.Method, trace);
            return Tessera.Users.RpcErrors.StoreUnavailable(trace);
        }

        logger.LogError(e, "Unhandled exception in {Method} ({Trace})", context.Method, trace);
        return new RpcException(new Status(StatusCode.Internal, $"internal error; the server logged it as trace {trace}"));
    }
}
