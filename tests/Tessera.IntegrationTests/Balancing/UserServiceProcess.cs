using Grpc.Net.Client;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;

namespace Tessera.IntegrationTests.Balancing;

/// <summary>
/// A real server process that serves the user service alone (<c>--services users --auth none</c>) on a loopback port
/// and a SQLite data directory of its own, both kept across <see cref="StopAsync"/> and <see cref="StartAgainAsync"/>.
/// </summary>
internal sealed class UserServiceProcess : IAsyncDisposable
{
    private readonly string dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
    private ServerProcess? process;

    private UserServiceProcess(int port)
    {
        Port = port;
    }

    public int Port { get; }

    public string Address => $"http://127.0.0.1:{Port}";

    public static Task<UserServiceProcess> StartAsync() => Loopback.OnFreePortsAsync(async () =>
    {
        var server = new UserServiceProcess(Loopback.FreePort());
        try
        {
            await server.StartAgainAsync();
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    });

    /// <summary>Starts the process (again, on the same port and data) and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        process = ServerProcess.Start(
            ["--services", "users", "--auth", "none", "--urls", Address, "--data-dir", dataDirectory, "--shutdown-seconds", "1"],
            new Dictionary<string, string?> { ["TESSERA_CONNECTION"] = null, ["TESSERA_STORE"] = null });
        await process.WaitUntilServingAsync(Address);
    }

    /// <summary>Creates a user through this process alone (its own SQLite store) and returns it.</summary>
    public async Task<User> CreateUserAsync(string username)
    {
        using var channel = GrpcChannel.ForAddress(Address);
        var users = new UserService.UserServiceClient(channel);
        return (await users.CreateUserAsync(new CreateUserRequest { Username = username, Email = $"{username}@example.com" })).User;
    }

    /// <summary>SIGTERM: the server reports NOT_SERVING to health watches, tells its connections to go away, and exits.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.StopAsync();
            await process.DisposeAsync();
            process = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
        }

        if (Directory.Exists(dataDirectory))
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
    }
}
