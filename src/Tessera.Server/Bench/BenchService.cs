using System.Diagnostics;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Contracts.Bench.V1;
using Tessera.Users;

namespace Tessera.Server.Bench;

/// <summary>
/// bench.v1.BenchService, mapped only under <c>--bench-service</c>: a no-op RPC (the stack's own ceiling) and an
/// in-process measure of how fast this server hashes passwords on all its cores. Same <c>[Authorize]</c> as GetUser.
/// </summary>
[Authorize]
public sealed class BenchService(PasswordHashing passwords) : Contracts.Bench.V1.BenchService.BenchServiceBase
{
    private static readonly TimeSpan DefaultDuration = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan MaxDuration = TimeSpan.FromSeconds(30);

    public override Task<NoopResponse> Noop(NoopRequest request, ServerCallContext context) =>
        Task.FromResult(new NoopResponse { UserId = request.UserId });

    public override async Task<MeasurePasswordHashRateResponse> MeasurePasswordHashRate(MeasurePasswordHashRateRequest request, ServerCallContext context)
    {
        var duration = request.Duration?.ToTimeSpan() ?? TimeSpan.Zero;
        if (duration < TimeSpan.Zero)
        {
            throw RpcErrors.InvalidArgument("duration", "must not be negative");
        }

        duration = duration == TimeSpan.Zero ? DefaultDuration : duration > MaxDuration ? MaxDuration : duration;
        var threads = Environment.ProcessorCount;
        var stopwatch = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Enumerable.Range(0, threads).Select(_ => Task.Factory.StartNew(
            () => HashUntil(stopwatch, duration, context.CancellationToken),
            context.CancellationToken,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default)));
        var elapsed = stopwatch.Elapsed;
        var hashes = counts.Sum();
        return new MeasurePasswordHashRateResponse
        {
            Hashes = hashes,
            HashesPerSecond = hashes / elapsed.TotalSeconds,
            Threads = threads,
            Elapsed = Duration.FromTimeSpan(elapsed),
        };
    }

    private long HashUntil(Stopwatch stopwatch, TimeSpan duration, CancellationToken cancellationToken)
    {
        var count = 0L;
        while (stopwatch.Elapsed < duration)
        {
            cancellationToken.ThrowIfCancellationRequested();
            _ = passwords.Hash("bench password 0123456789");
            count++;
        }

        return count;
    }
}
