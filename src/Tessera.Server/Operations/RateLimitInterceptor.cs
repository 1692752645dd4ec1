using System.Globalization;
using System.Threading.RateLimiting;
using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Grpc.Core.Interceptors;
using Tessera.Users;

namespace Tessera.Server.Operations;

/// <summary>
/// A token bucket per caller (the signed-in user, else the peer's address): <c>--rate-limit</c> calls per second,
/// with bursts up to the same number. Beyond it a call is RESOURCE_EXHAUSTED with a RetryInfo saying when to retry.
/// </summary>
public sealed class RateLimitInterceptor : Interceptor, IDisposable
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

    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, ServerCallContext context, ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(request, responseStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Admit(context);
        return continuation(requestStream, responseStream, context);
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
