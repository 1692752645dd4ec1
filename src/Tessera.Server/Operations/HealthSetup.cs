using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Server.Operations;

/// <summary>
/// grpc.health.v1 with a status per service this process serves (<c>user.v1.UserService</c> and
/// <c>auth.v1.AuthService</c> where it serves users, <c>inventory.v1.InventoryService</c>,
/// <c>payment.v1.PaymentService</c>, <c>order.v1.OrderService</c>, <c>monitoring.v1.MonitoringService</c> where it
/// serves those) and <c>""</c> for the server, checked live on every Check: NOT_SERVING when the server is stopping,
/// and for the user services (and the server) when the user store cannot be read. A service this process does not
/// serve is unknown to it (NOT_FOUND), so a balancer sends its calls elsewhere. <c>liveness</c> checks only that
/// the server answers (a check that is always healthy: a service with no check at all would report UNKNOWN), for
/// probes that restart a stuck server but must not restart one whose store is down (deploy/kubernetes/deployment.yaml).
/// </summary>
public static class HealthSetup
{
    /// <summary>The health service that reports only that the server answers.</summary>
    public const string LivenessService = "liveness";

    private const string UserStoreTag = "user-store";
    private const string LifetimeTag = "lifetime";
    private const string LivenessTag = "liveness";

    public static void AddTesseraHealth(this IServiceCollection services, TesseraOptions options)
    {
        var checks = services.AddGrpcHealthChecks(health =>
            {
                health.UseHealthChecksCache = false;
                health.Services.Map("", _ => true);
                foreach (var (service, name) in ServedNames())
                {
                    if (!options.Serves(service))
                    {
                        continue;
                    }

                    var withUserStore = service == TesseraServices.Users;
                    health.Services.Map(name, result => result.Tags.Contains(LifetimeTag) || (withUserStore && result.Tags.Contains(UserStoreTag)));
                }

                health.Services.Map(LivenessService, result => result.Tags.Contains(LivenessTag));
            })
            .AddCheck<LifetimeHealthCheck>("lifetime", tags: [LifetimeTag])
            .AddCheck("answering", () => HealthCheckResult.Healthy(), tags: [LivenessTag]);
        if (options.OpensUserStore)
        {
            checks.AddCheck<StoreHealthCheck>("store", tags: [UserStoreTag]);
        }

        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(5);
        });
    }

    /// <summary>Each <c>--services</c> name with the gRPC service names it reports health under.</summary>
    private static IEnumerable<(string Service, string Name)> ServedNames() =>
    [
        (TesseraServices.Users, Contracts.User.V1.UserService.Descriptor.FullName),
        (TesseraServices.Users, Contracts.Auth.V1.AuthService.Descriptor.FullName),
        (TesseraServices.Inventory, Contracts.Inventory.V1.InventoryService.Descriptor.FullName),
        (TesseraServices.Payments, Contracts.Payment.V1.PaymentService.Descriptor.FullName),
        (TesseraServices.Orders, Contracts.Order.V1.OrderService.Descriptor.FullName),
        (TesseraServices.Monitoring, Contracts.Monitoring.V1.MonitoringService.Descriptor.FullName),
    ];
}
