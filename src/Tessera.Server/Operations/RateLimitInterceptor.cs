using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Tessera.Users;

namespace Tessera.Server.Operations;

/// <summary>
/// A token bucket per caller (the signed-in user, else the peer's address): <c>--rate-limit</c> calls per second,
/// with bursts up to the same number. Beyond it a call is RESOURCE_EXHAUSTED with a RetryInfo saying when to retry.
/// </summary>
public sealed class RateLimitInterceptor : CallInterceptor, IDisposable
{
    private readonly PartitionedRateLimiter<ServerCallContext>? limiter;

    public RateLimitInterceptor(TesseraOptions options)
    {
        if (options.RateLimitPerSecond > 0)
        {
            limiter = PartitionedRateLimiter.Create<ServerCallContext, string>(context => RateLimitPartition.GetTokenBucketLimiter(
                CallerKey(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.RateLimitPerSecond,
                    TokensPerPeriod = options.RateLimitPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
        }
    }

    protected override Task<T> AroundAsync<T>(ServerCallContext context, Func<Task<T>> call)
    {
        Admit(context);
        return call();
    }

    public void Dispose() => limiter?.Dispose();

    private void Admit(ServerCallContext context)
    {
        if (limiter is null)
        {
            return;
        }

        using var lease = limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return;
        }

        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var status = new Google.Rpc.Status
        {
            Code = (int)Code.ResourceExhausted,
            Message = $"rate limit exceeded for {CallerKey(context)}; retry in {wait.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture)} ms",
            Details =
            {
                Any.Pack(new ErrorInfo { Reason = "RATE_LIMITED", Domain = RpcErrors.Domain }),
                Any.Pack(new RetryInfo { RetryDelay = Duration.FromTimeSpan(wait) }),
            },
        };
        throw status.ToRpcException();
    }

    private static string CallerKey(ServerCallContext context)
    {
        var http = context.GetHttpContext();
        var subject = http.User.FindFirst("sub")?.Value;
        return subject is not null ? $"user {subject}" : $"address {http.Connection.RemoteIpAddress}";
    }
}
