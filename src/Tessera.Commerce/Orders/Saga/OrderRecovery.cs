using Grpc.Core;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Commerce.Orders.Storage;

namespace Tessera.Commerce.Orders.Saga;

/// <summary>
/// The recovery pass: once the server has started and then every <see cref="OrderSagaOptions.RecoveryInterval"/>, it
/// claims the orders no runner holds that are not final (and those awaiting a payment whose reservation expired), in
/// batches, and finishes or undoes each (several at once) (<see cref="OrderSaga.RecoverAsync"/>). Claims are leases, so on PostgreSQL
/// several replicas can run it at once, each order by one of them. Calls made here carry no incoming call's deadline:
/// each has its own (PeerCalls.Timeout).
/// </summary>
public sealed class OrderRecovery(
    IOrderStore store,
    OrderSaga saga,
    OrderSagaOptions options,
    TimeProvider clock,
    IHostApplicationLifetime lifetime,
    ILogger<OrderRecovery> logger) : BackgroundService
{
    /// <summary>How many claimed orders are recovered at once (each waits mostly on its peers).</summary>
    private const int Parallelism = 8;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Peers may be this very process, reachable only once it listens.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        await using (stoppingToken.Register(() => started.TrySetCanceled(stoppingToken)))
        {
            await started.Task;
        }

        using var timer = new PeriodicTimer(options.RecoveryInterval, clock);
        do
        {
            try
            {
                await RunPassAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogError(e, "The order recovery pass failed; it runs again in {Interval}", options.RecoveryInterval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>Claims and recovers batches until none is left; returns how many orders it took.</summary>
    public async Task<int> RunPassAsync(CancellationToken cancellationToken)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow();
            var claimed = await store.ClaimForRecoveryAsync(now, now + options.Lease, options.RecoveryBatch, cancellationToken);
            await Parallel.ForEachAsync(
                claimed,
                new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
                async (order, token) => await RecoverOneAsync(order, token));
            total += claimed.Count;
            if (claimed.Count < options.RecoveryBatch)
            {
                return total;
            }
        }
    }

    private async Task RecoverOneAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        try
        {
            await saga.RecoverAsync(order, cancellationToken);
        }
        catch (RpcException e)
        {
            // Leased until it ends: the next pass after that tries again.
            logger.LogWarning("Recovering order {OrderId} ({Step}) ended with {Code}: {Detail}; it is tried again later", order.OrderId, order.Step, e.StatusCode, e.Status.Detail);
        }
        catch (CommerceException e) when (e.Failure == CommerceFailure.Aborted)
        {
            logger.LogInformation("Order {OrderId} was moved by another call while recovering it", order.OrderId);
        }
    }
}
