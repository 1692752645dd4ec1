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

    /// <summary>Starts <c>dotnet Tessera.Server.dll --services SERVICES ...</c> on free loopback ports and waits until it answers.</summary>
    public static Task<ServiceProcess> StartAsync(string name, string services, IEnumerable<string> storeArgs, IEnumerable<string> peerArgs, string jwtKey, string adminPassword) =>
        Loopback.OnFreePortsAsync(() => StartOnceAsync(name, services, storeArgs, peerArgs, jwtKey, adminPassword));

    private static async Task<ServiceProcess> StartOnceAsync(string name, string services, IEnumerable<string> storeArgs, IEnumerable<string> peerArgs, string jwtKey, string adminPassword)
    {
        var port = Loopback.FreePort();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        string[] args =
        [
            "--services", services, "--jwt-key", jwtKey, "--urls", $"http://127.0.0.1:{port}", "--metrics-urls", Loopback.FreeHttpUrl(),
            "--data-dir", dataDirectory, "--shutdown-seconds", "1", .. storeArgs, .. peerArgs,
        ];
        var environment = new Dictionary<string, string?>
        {
            ["TESSERA_ADMIN_PASSWORD"] = adminPassword,
            ["TESSERA_JWT_KEY"] = null,
            ["TESSERA_CONNECTION"] = null,
        };
        var service = new ServiceProcess(name, args, environment, port);
        try
        {
            await service.StartAsync();
        }
        catch
        {
            await service.DisposeAsync();
            throw;
        }

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
}
