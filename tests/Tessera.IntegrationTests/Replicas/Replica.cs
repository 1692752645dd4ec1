using Grpc.Health.V1;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>One replica: a real server process on loopback ports of its own, with a channel to it.</summary>
internal sealed class Replica : IAsyncDisposable
{
    private readonly ServerProcess process;
    private bool stopped;

    private Replica(string name, ServerProcess process, int port, int metricsPort)
    {
        Name = name;
        this.process = process;
        Address = $"http://127.0.0.1:{port}";
        Port = port;
        MetricsAddress = $"http://127.0.0.1:{metricsPort}";
        Channel = GrpcChannel.ForAddress(Address);
        Users = new UserService.UserServiceClient(Channel);
        Health = new Health.HealthClient(Channel);
    }

    public string Name { get; }

    public string Address { get; }

    public int Port { get; }

    public string MetricsAddress { get; }

    public GrpcChannel Channel { get; }

    public UserService.UserServiceClient Users { get; }

    public Health.HealthClient Health { get; }

    /// <summary>Starts <c>dotnet Tessera.Server.dll</c> on free loopback ports and waits until it answers.</summary>
    public static Task<Replica> StartAsync(string name, string connectionString, string jwtKey, string adminPassword) =>
        Loopback.OnFreePortsAsync(() => StartOnceAsync(name, connectionString, jwtKey, adminPassword));

    private static async Task<Replica> StartOnceAsync(string name, string connectionString, string jwtKey, string adminPassword)
    {
        var port = Loopback.FreePort();
        var metricsPort = Loopback.FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        var process = ServerProcess.Start(
            ["--store", "postgres", "--connection", connectionString, "--jwt-key", jwtKey,
             "--urls", $"http://127.0.0.1:{port}", "--metrics-urls", $"http://127.0.0.1:{metricsPort}",
             "--data-dir", dataDirectory, "--shutdown-seconds", "1"],
            new Dictionary<string, string?>
            {
                ["TESSERA_ADMIN_PASSWORD"] = adminPassword,
                ["TESSERA_JWT_KEY"] = null,
                ["TESSERA_CONNECTION"] = null,
            });
        var replica = new Replica(name, process, port, metricsPort);
        try
        {
            await process.WaitUntilServingAsync(replica.Address);
        }
        catch
        {
            await replica.DisposeAsync();
            throw;
        }

        return replica;
    }

    /// <summary>SIGTERM, then what the replica logged at error level or above (<see cref="ServerProcess.Failures"/>).</summary>
    public async Task<IReadOnlyList<string>> StopAsync()
    {
        if (stopped)
        {
            return [];
        }

        stopped = true;
        var (output, errors) = await process.StopAsync();
        await process.DisposeAsync();
        return ServerProcess.Failures($"{output}\n{errors}");
    }

    /// <summary>SIGKILL: the process dies at once, mid-call, as on a crashed machine.</summary>
    public async Task KillAsync()
    {
        if (!stopped)
        {
            stopped = true;
            await process.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await KillAsync();
    }
}
