using Grpc.Net.Client.Balancer;

namespace Tessera.Client;

/// <summary>
/// The <see cref="Grpc.Net.Client.GrpcChannelOptions.ServiceProvider"/> of a balanced channel: grpc-dotnet asks it for
/// the <see cref="ResolverFactory"/>s and <see cref="LoadBalancerFactory"/>s (a factory given here replaces the built-in
/// one of the same name), and falls back to its defaults for everything else, answered here with null.
/// </summary>
internal sealed class BalancingServiceProvider(ResolverFactory resolver, LoadBalancerFactory? balancer) : IServiceProvider
{
    public object? GetService(Type serviceType)
    {
        if (serviceType == typeof(IEnumerable<ResolverFactory>))
        {
            return new[] { resolver };
        }

        return serviceType == typeof(IEnumerable<LoadBalancerFactory>) && balancer is not null ? new[] { balancer } : null;
    }
}
