using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Server.Operations;

/// <summary>
/// grpc.health.v1 with a status per served service (<c>user.v1.UserService</c> and <c>auth.v1.AuthService</c> where
/// <c>users</c> is served, <c>inventory.v1.InventoryService</c>, <c>payment.v1.PaymentService</c>,
/// <c>order.v1.OrderService</c>, <c>monitoring.v1.MonitoringService</c> where theirs are, and <c>""</c> for the
/// server), checked live on every Check: NOT_SERVING when the server is stopping, and for the user services also when
/// the user store cannot be read. A service this process does not serve is unknown to it (NOT_FOUND).
/// <c>liveness</c> checks only that the server answers (a check that is always healthy: a service with no check at
/// all would report UNKNOWN), for probes that restart a stuck server but must not restart one whose store is down
/// (deploy/kubernetes/deployment.yaml).
/// </summary>
public static class HealthSetup
{
    /// <summary>The health service that reports only that the server answers.</summary>
    public const string LivenessService = "liveness";

    private const string UsersTag = "users";
    private const string ServingTag = "serving";
    private const string LivenessTag = "liveness";

    /// <summary>The grpc.health.v1 service names of each <c>--services</c> name.</summary>
    private static readonly Dictionary<string, string[]> HealthNames = new(StringComparer.Ordinal)
    {
        [TesseraServices.Users] = [Contracts.User.V1.UserService.Descriptor.FullName, Contracts.Auth.V1.AuthService.Descriptor.FullName],
        [TesseraServices.Inventory] = [Contracts.Inventory.V1.InventoryService.Descriptor.FullName],
        [TesseraServices.Payments] = [Contracts.Payment.V1.PaymentService.Descriptor.FullName],
        [TesseraServices.Orders] = [Contracts.Order.V1.OrderService.Descriptor.FullName],
        [TesseraServices.Monitoring] = [Contracts.Monitoring.V1.MonitoringService.Descriptor.FullName],
    };

    public static void AddTesseraHealth(this IServiceCollection services, TesseraOptions options)
    {
        var checks = services.AddGrpcHealthChecks(health =>
            {
                health.UseHealthChecksCache = false;
                health.Services.Map("", _ => true);
                foreach (var (service, names) in HealthNames)
                {
                    if (!options.Serves(service))
                    {
                        continue;
                    }

                    var tags = service == TesseraServices.Users ? new[] { ServingTag, UsersTag } : [ServingTag];
                    foreach (var name in names)
                    {
                        health.Services.Map(name, result => tags.Any(result.Tags.Contains));
                    }
                }

                health.Services.Map(LivenessService, result => result.Tags.Contains(LivenessTag));
            })
            .AddCheck<LifetimeHealthCheck>("lifetime", tags: [ServingTag])
            .AddCheck("answering", () => HealthCheckResult.Healthy(), tags: [LivenessTag]);
        if (options.Serves(TesseraServices.Users))
        {
            checks.AddCheck<StoreHealthCheck>("store", tags: [UsersTag]);
        }

        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(5);
        });
    }
}
