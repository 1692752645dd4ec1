using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Tessera.Users;

namespace Tessera.Server.Operations;

/// <summary>
/// Limits every call (gRPC, gRPC-Web and REST), whatever refuses it afterwards (authorization, a body that does not parse, the handler):
/// it runs after authentication, so a signed-in caller is limited as a user, and before authorization, so anonymous
/// floods of refused calls spend the caller's tokens too. Over the limit the call is answered RESOURCE_EXHAUSTED (HTTP 429 over REST)
/// (trailers only) with an ErrorInfo (RATE_LIMITED) and a RetryInfo saying when to retry.
/// </summary>
public sealed class RateLimitMiddleware(RequestDelegate next, CallerRateLimiter limiter)
{
    public const string Reason = "RATE_LIMITED";

    public Task InvokeAsync(HttpContext context)
    {
        if (!GrpcRequest.IsCall(context) || limiter.TryAdmit(context, out var retryAfter))
        {
            return next(context);
        }

        var milliseconds = Math.Max(1, Math.Ceiling(retryAfter.TotalMilliseconds)).ToString("0", CultureInfo.InvariantCulture);
        return EarlyStatus.WriteAsync(context, new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"rate limit exceeded for {Caller.Of(context)}; retry in {milliseconds} ms",
            Details =
            {
                Any.Pack(new ErrorInfo { Reason = Reason, Domain = RpcErrors.Domain }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(retryAfter) }),
            },
        });
    }
}
