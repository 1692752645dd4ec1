using System.Net;
using System.Net.Sockets;
using Tessera.IntegrationTests.Operations;

namespace Tessera.IntegrationTests.Commerce.MultiProcess;

/// <summary>
/// One server process serving some of Tessera's services (<c>--services</c>) on a loopback port of its own. It can be
/// SIGKILLed and started again on the same port, data directory and store, as a crashed machine coming back.
/// </summary>
internal sealed class ServiceProcess(string name, IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, int port) : IAsyncDisposable
{
    private ServerProcess? process;

    public string Name { get; } = name;

    public string Address { get; } = $"http://127.0.0.1:{port}";

    /// <summary>Starts <c>dotnet Tessera.Server.dll --services SERVICES ...</c> and waits until it answers.</summary>
    public static async Task<ServiceProcess> StartAsync(string name, string services, int port, IEnumerable<string> storeArgs, IEnumerable<string> peerArgs, string jwtKey, string adminPassword)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--services", services, "--jwt-key", jwtKey, "--urls", $"http://127.0.0.1:{port}", "--metrics-urls", $"http://127.0.0.1:{FreePort()}",
            "--data-dir", dataDirectory, "--shutdown-seconds", "1", .. storeArgs, .. peerArgs,
        ];
        var environment = new Dictionary<string, string?>
        {
            ["TESSERA_ADMIN_PASSWORD"] = adminPassword,
            ["TESSERA_JWT_KEY"] = null,
            ["TESSERA_CONNECTION"] = null,
        };
        var service = new ServiceProcess(name, args, environment, port);
        await service.StartAsync();
        return service;
    }

    /// <summary>Starts the process again after <see cref="KillAsync"/>, with the same arguments.</summary>
    public async Task StartAsync()
    {
        process = ServerProcess.Start(args, environment);
        await process.WaitUntilServingAsync(Address);
    }

    /// <summary>SIGKILL: the process dies at once, mid-call.</summary>
    public async Task KillAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    public ValueTask DisposeAsync() => new(KillAsync());

    /// <summary>A port nobody listens on now (the OS picks it); the server binds it a moment later.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
