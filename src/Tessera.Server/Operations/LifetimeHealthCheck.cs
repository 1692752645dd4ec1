using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Server.Operations;

/// <summary>Unhealthy from the moment the server starts stopping, so balancers move traffic away first.</summary>
public sealed class LifetimeHealthCheck(IHostApplicationLifetime lifetime) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(lifetime.ApplicationStopping.IsCancellationRequested
            ? HealthCheckResult.Unhealthy("the server is shutting down")
            : HealthCheckResult.Healthy());
}
