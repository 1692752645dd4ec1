using Grpc.Health.V1;
using Microsoft.Data.Sqlite;
using YamlDotNet.RepresentationModel;
using static Grpc.Health.V1.HealthCheckResponse.Types;

namespace Tessera.IntegrationTests.Deploy;

/// <summary>
/// The health services deploy/kubernetes/deployment.yaml's probes ask for, asked of a real server: all SERVING on a
/// healthy one; with the store unreadable readiness turns NOT_SERVING (the pod leaves the Services) while startup and
/// liveness stay SERVING (the kubelet does not restart a server that could not open its store again).
/// </summary>
public sealed class ProbeServiceTests
{
    [Fact]
    public async Task The_probes_services_are_served_and_only_readiness_follows_the_store()
    {
        var container = KubernetesManifests.Load().ServerContainer;
        string ServiceOf(string probe) => ((YamlScalarNode)container.Map(probe).Map("grpc").Get("service")).Value ?? "";

        await using var server = new TesseraServer();
        await server.InitializeAsync();
        var health = new Health.HealthClient(server.Channel);
        async Task<ServingStatus> StatusOf(string probe) => (await health.CheckAsync(new HealthCheckRequest { Service = ServiceOf(probe) })).Status;

        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            Assert.Equal(ServingStatus.Serving, await StatusOf(probe));
        }

        // The store goes away: the data directory is removed and no open connection is left to hide it.
        Directory.Delete(server.DataDirectory, recursive: true);
        SqliteConnection.ClearAllPools();

        Assert.Equal(ServingStatus.NotServing, await StatusOf("readinessProbe"));
        Assert.Equal(ServingStatus.Serving, await StatusOf("livenessProbe"));
        Assert.Equal(ServingStatus.Serving, await StatusOf("startupProbe"));
    }
}
