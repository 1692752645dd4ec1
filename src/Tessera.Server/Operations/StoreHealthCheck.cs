using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Users.Storage;

namespace Tessera.Server.Operations;

/// <summary>
/// Healthy when the user store answers a read within two seconds and, after a call failed on a disk fault (a full
/// or read-only disk: <see cref="StoreFaults"/>), when a probe write commits again: until it does, NOT_SERVING, and
/// the first success ends the fault. A failure is logged here as a warning (the framework's own health-check logs
/// are silenced in appsettings.json: it reports every Unhealthy as an error, including the expected one while the
/// server stops).
/// </summary>
public sealed class StoreHealthCheck(IUserStore store, StoreFaults faults, ILogger<StoreHealthCheck> logger) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            await store.GetRevisionAsync(timeout.Token);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or IOException or InvalidOperationException)
        {
            logger.LogWarning(e, "The user store cannot be read; reporting NOT_SERVING");
            return HealthCheckResult.Unhealthy("the user store cannot be read", e);
        }

        if (faults.Current is null)
        {
            return HealthCheckResult.Healthy();
        }

        try
        {
            await store.ProbeWriteAsync(timeout.Token);
            faults.Cleared();
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or IOException)
        {
            // Not logged: StoreFaults logged the fault when it began, and logs its end.
            return HealthCheckResult.Unhealthy($"the user store cannot write: {StoreFaults.Describe(e)}", e);
        }
    }
}
