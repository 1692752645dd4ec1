using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Tessera.Server.Operations;

/// <summary>
/// grpc.health.v1 with a status per service (<c>user.v1.UserService</c>, <c>auth.v1.AuthService</c> and <c>""</c>
/// for the server), checked live on every Check: NOT_SERVING when the store cannot be read or the server is stopping.
/// </summary>
public static class HealthSetup
{
    private const string UsersTag = "users";

    public static void AddTesseraHealth(this IServiceCollection services)
    {
        services.AddGrpcHealthChecks(health =>
            {
                health.UseHealthChecksCache = false;
                health.Services.Map("", _ => true);
                health.Services.Map("user.v1.UserService", result => result.Tags.Contains(UsersTag));
                health.Services.Map("auth.v1.AuthService", result => result.Tags.Contains(UsersTag));
            })
            .AddCheck<StoreHealthCheck>("store", tags: [UsersTag])
            .AddCheck<LifetimeHealthCheck>("lifetime", tags: [UsersTag]);
        services.Configure<HealthCheckPublisherOptions>(publisher =>
        {
            publisher.Delay = TimeSpan.Zero;
            publisher.Period = TimeSpan.FromSeconds(5);
        });
    }
}
