using Grpc.Net.Client.Balancer;

namespace Tessera.Client;

/// <summary>
/// The <see cref="Grpc.Net.Client.GrpcChannelOptions.ServiceProvider"/> of a balanced channel: grpc-dotnet asks it for
/// the <see cref="ResolverFactory"/>s (and falls back to its defaults for everything else, answered here with null).
/// </summary>
internal sealed class ResolverServiceProvider(ResolverFactory factory) : IServiceProvider
{
    public object? GetService(Type serviceType) =>
        serviceType == typeof(IEnumerable<ResolverFactory>) ? new[] { factory } : null;
}
