using Grpc.Core;
using Tessera.Commerce;
using Tessera.Users.Storage;

namespace Tessera.Server;

/// <summary>
/// The last line for every call kind: a refusal by a commerce rule becomes its status (<see cref="CommerceErrors"/>);
/// any other exception that is not already a gRPC status becomes INTERNAL, or
/// UNAVAILABLE when the store could not be reached and a retry can succeed (<see cref="StoreFailures"/>), with nothing
/// internal in its message (only a trace id); the details go to the log.
/// </summary>
public sealed class ErrorInterceptor(ILogger<ErrorInterceptor> logger) : CallInterceptor
{
    private static bool ClientWentAway(ServerCallContext context) =>
        context.CancellationToken.IsCancellationRequested || context.GetHttpContext().RequestAborted.IsCancellationRequested;

    protected override async Task<T> AroundAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (CommerceException e)
        {
            throw CommerceErrors.ToRpcException(e);
        }
        catch (Exception e) when (e is not RpcException && ClientWentAway(context))
        {
            logger.LogDebug(e, "{Method} ended because the client cancelled or disconnected", context.Method);
            throw new RpcException(new Status(StatusCode.Cancelled, "the call was cancelled by the client"));
        }
        catch (Exception e) when (e is not RpcException)
        {
            var trace = context.GetHttpContext().TraceIdentifier;
            if (StoreFailures.IsTransient(e))
            {
                logger.LogError(e, "Store unavailable in {Method} ({Trace})", context.Method, trace);
                throw Tessera.Users.RpcErrors.StoreUnavailable(trace);
            }

            logger.LogError(e, "Unhandled exception in {Method} ({Trace})", context.Method, trace);
            throw new RpcException(new Status(StatusCode.Internal, $"internal error; the server logged it as trace {trace}"));
        }
    }
}
