using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Server.Operations;

/// <summary>
/// grpc.health.v1 with a status per service (<c>user.v1.UserService</c>, <c>auth.v1.AuthService</c> and <c>""</c>
/// for the server), checked live on every Check: NOT_SERVING when the store cannot be read or the server is stopping.
/// <c>liveness</c> checks only that the server answers (a check that is always healthy: a service with no check at
/// all would report UNKNOWN), for probes that restart a stuck server but must not restart one whose store is down
/// (deploy/kubernetes/deployment.yaml).
/// </summary>
public static class HealthSetup
{
    /// <summary>The health service that reports only that the server answers.</summary>
    public const string LivenessService = "liveness";

    private const string UsersTag = "users";
    private const string LivenessTag = "liveness";

    public static void AddTesseraHealth(this IServiceCollection services)
    {
        services.AddGrpcHealthChecks(health =>
            {
                health.UseHealthChecksCache = false;
                health.Services.Map("", _ => true);
                health.Services.Map("user.v1.UserService", result => result.Tags.Contains(UsersTag));
                health.Services.Map("auth.v1.AuthService", result => result.Tags.Contains(UsersTag));
                health.Services.Map(LivenessService, result => result.Tags.Contains(LivenessTag));
            })
            .AddCheck<StoreHealthCheck>("store", tags: [UsersTag])
            .AddCheck<LifetimeHealthCheck>("lifetime", tags: [UsersTag])
            .AddCheck("answering", () => HealthCheckResult.Healthy(), tags: [LivenessTag]);
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(5);
        });
    }
}
