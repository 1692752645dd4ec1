using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Balancer;
using Grpc.Net.Client.Configuration;

namespace Tessera.Client.Balancing;

/// <summary>
/// Makes <see cref="HealthCheckedRoundRobinBalancer"/>s under the name <c>round_robin</c>, in place of grpc-dotnet's,
/// for one channel: the health watches are calls on that channel, given with <see cref="SetChannel"/> once it exists.
/// </summary>
internal sealed class HealthCheckedRoundRobinFactory(string service) : LoadBalancerFactory
{
    private readonly TaskCompletionSource<CallInvoker> _invoker = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override string Name => LoadBalancingConfig.RoundRobinPolicyName;

    public void SetChannel(GrpcChannel channel) => _invoker.TrySetResult(channel.CreateCallInvoker());

    public override LoadBalancer Create(LoadBalancerOptions options) =>
        HealthCheckedRoundRobinBalancer.Create(options, service, _invoker.Task);
}
