using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.Fuzz.Network;

/// <summary>What a normal client sees between batches: the health service says SERVING and GetUser answers (the user may have been deleted by a fuzzed call).</summary>
internal sealed class ServerProbe(IPEndPoint server) : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly GrpcChannel channel = GrpcChannel.ForAddress($"http://{server}");

    /// <summary>Null when the server answered both calls as it should; else what went wrong.</summary>
    public async Task<string?> CheckAsync()
    {
        try
        {
            var health = await new Health.HealthClient(channel).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Deadline);
            if (health.Status != HealthCheckResponse.Types.ServingStatus.Serving)
            {
                return $"health is {health.Status}";
            }

            await new UserService.UserServiceClient(channel).GetUserAsync(new GetUserRequest { UserId = 1 }, deadline: DateTime.UtcNow + Deadline);
            return null;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
        catch (RpcException e)
        {
            return $"{e.StatusCode}: {e.Status.Detail}";
        }
    }

    public void Dispose() => channel.Dispose();
}
