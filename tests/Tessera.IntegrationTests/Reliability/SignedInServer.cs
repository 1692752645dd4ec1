using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// The real server process with its default flags (authentication on) on a free loopback port and a temporary data
/// directory, the admin signed in. Killed and its data deleted on dispose unless stopped first.
/// </summary>
internal sealed class SignedInServer : IAsyncDisposable
{
    private readonly ServerProcess process;
    private readonly string dataDirectory;

    private SignedInServer(ServerProcess process, string address, string? metricsAddress, string dataDirectory)
    {
        this.process = process;
        this.dataDirectory = dataDirectory;
        Address = address;
        MetricsAddress = metricsAddress;
        Channel = GrpcChannel.ForAddress(address);
        Users = new UserService.UserServiceClient(Channel);
    }

    public string Address { get; }

    /// <summary>The server's data directory (its SQLite files).</summary>
    public string DataDirectory => dataDirectory;

    /// <summary>Where /metrics is served, when started with metrics.</summary>
    public string? MetricsAddress { get; }

    public GrpcChannel Channel { get; }

    public UserService.UserServiceClient Users { get; }

    /// <summary>The admin's bearer token, as call headers.</summary>
    public Metadata Admin { get; private set; } = [];

    public int Pid => process.Pid;

    public ProcessSample Sample() => ProcessSample.Of(process.Pid);

    /// <summary>Starts the server with <paramref name="args"/> beside its defaults, waits until it answers, and signs the admin in.</summary>
    public static Task<SignedInServer> StartAsync(string[] args, bool metrics = false) =>
        Loopback.OnFreePortsAsync(async () =>
        {
            var address = Loopback.FreeHttpUrl();
            var metricsAddress = metrics ? Loopback.FreeHttpUrl() : null;
            var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
            string[] metricsArgs = metricsAddress is null ? [] : ["--metrics-urls", metricsAddress];
            var process = ServerProcess.Start(
                ["--urls", address, "--data-dir", dataDirectory, .. metricsArgs, .. args],
                new Dictionary<string, string?> { ["TESSERA_ADMIN_PASSWORD"] = Security.AuthServer.AdminPassword });
            var server = new SignedInServer(process, address, metricsAddress, dataDirectory);
            try
            {
                await process.WaitUntilServingAsync(address);
                await server.SignInAsync();
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return server;
        });

    /// <summary>Signs the admin in (again: an access token lasts 15 minutes by default).</summary>
    public async Task SignInAsync()
    {
        var auth = new AuthService.AuthServiceClient(Channel);
        var tokens = (await auth.LoginAsync(new LoginRequest { Username = "admin", Password = Security.AuthServer.AdminPassword })).Tokens;
        Admin = Security.AuthServer.Bearer(tokens);
    }

    /// <summary>SIGTERM; returns what the server wrote to stdout and stderr.</summary>
    public Task<(string Output, string Errors)> StopAsync() => process.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Channel.Dispose();
        await process.DisposeAsync();
        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
