using System.Threading.RateLimiting;

namespace Tessera.Server.Operations;

/// <summary>
/// Token buckets per caller: one per signed-in user (<c>sub</c>) with <c>--rate-limit</c> calls per second, one per
/// peer address for anonymous calls with <c>--anonymous-rate-limit</c>; each allows bursts of one second's worth.
/// A limit of 0 lets that kind of caller through; <c>--rate-limit 0</c> turns rate limiting off altogether.
/// </summary>
public sealed class CallerRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<HttpContext>? limiter;

    public CallerRateLimiter(TesseraOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.RateLimitPerSecond == 0)
        {
            return;
        }

        limiter = PartitionedRateLimiter.Create<HttpContext, Caller>(context => Caller.Of(context) switch
        {
            { IsUser: true } user => Bucket(user, options.RateLimitPerSecond),
            var address => Bucket(address, options.AnonymousRateLimitPerSecond),
        });
    }

    /// <summary>Takes a token for the call; false (with how long to wait) when its caller has none left.</summary>
    public bool TryAdmit(HttpContext context, out TimeSpan retryAfter)
    {
        retryAfter = TimeSpan.Zero;
        if (limiter is null)
        {
            return true;
        }

        using var lease = limiter.AttemptAcquire(context);
        if (lease.IsAcquired)
        {
            return true;
        }

        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        return false;
    }

    public void Dispose() => limiter?.Dispose();

    private static RateLimitPartition<Caller> Bucket(Caller caller, int perSecond) => perSecond == 0
        ? RateLimitPartition.GetNoLimiter(caller)
        : RateLimitPartition.GetTokenBucketLimiter(caller, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perSecond,
            TokensPerPeriod = perSecond,
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
}
