using System.Net;
using System.Net.Sockets;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Observability;

namespace Tessera.IntegrationTests.Operations;

/// <summary>
/// The real server process as a user starts it: every failure a user can cause is one line and an exit status
/// (2: a flag that cannot work; 1: the machine does not let it start), a second server on a data directory is
/// refused, the data directory is private, and the first screen holds no warnings that ask for nothing.
/// </summary>
public sealed class StartupTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));

    public StartupTests() => Directory.CreateDirectory(root);

    [Fact]
    public async Task An_address_in_use_is_one_line_naming_it_and_exit_status_1()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var address = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

        var (code, errors) = await FailToStartAsync("--urls", address, "--data-dir", Path.Combine(root, "data"));

        Assert.Equal(1, code);
        Assert.Contains(address, errors, StringComparison.Ordinal);
        Assert.Contains("--urls", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_data_directory_that_cannot_be_created_is_one_line_and_exit_status_1()
    {
        var file = Path.Combine(root, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");

        var (code, errors) = await FailToStartAsync("--urls", Loopback.FreeHttpUrl(), "--data-dir", Path.Combine(file, "data"));

        Assert.Equal(1, code);
        Assert.Contains("--data-dir", errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_is_one_line_and_exit_status_1()
    {
        var dataDir = Path.Combine(root, "data");
        Directory.CreateDirectory(Path.Combine(dataDir, "tessera.db"));

        var (code, errors) = await FailToStartAsync("--urls", Loopback.FreeHttpUrl(), "--data-dir", dataDir);

        Assert.Equal(1, code);
        Assert.Contains($"cannot open the database in {dataDir}", errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate-limit", "lots", "--rate-limit")]
    [InlineData("--auth", "maybe", "--auth")]
    [InlineData("--urls", "127.0.0.1", "127.0.0.1")]
    public async Task A_bad_flag_value_is_one_line_naming_the_flag_and_exit_status_2(string flag, string value, string named)
    {
        var (code, errors) = await FailToStartAsync(flag, value, "--data-dir", Path.Combine(root, "data"));

        Assert.Equal(2, code);
        Assert.Contains(named, errors, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--rate-limt", "5", "did you mean --rate-limit?")]
    [InlineData("--data-directory", "x", "did you mean --data-dir?")]
    [InlineData("--verbose", "true", "--help lists them")]
    public async Task A_flag_that_is_not_a_setting_is_one_line_naming_it_and_the_nearest_and_exit_status_2(string flag, string value, string words)
    {
        // ASP.NET Core's own command-line reader would take it as a configuration key nobody reads, and start.
        var (code, errors) = await FailToStartAsync("--urls", Loopback.FreeHttpUrl(), flag, value, "--data-dir", Path.Combine(root, "data"));

        Assert.Equal(2, code);
        Assert.Contains(flag, errors, StringComparison.Ordinal);
        Assert.Contains(words, errors, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "data")), "a refused start created its data directory");
    }

    [Fact]
    public async Task Help_lists_every_flag_with_its_default_and_starts_nothing()
    {
        await using var server = ServerProcess.Start(["--help", "--data-dir", Path.Combine(root, "data")]);
        var (code, output, errors) = await server.ExitAsync();

        Assert.Equal(0, code);
        Assert.Empty(errors);
        Assert.StartsWith("usage: tessera-server", output, StringComparison.Ordinal);
        Assert.All(Tessera.Server.ServerCommandLine.Flags, flag => Assert.Contains($"  {flag} ", output, StringComparison.Ordinal));
        Assert.Contains("--rate-limit             50000", output, StringComparison.Ordinal);
        Assert.Contains("--urls                   http://127.0.0.1:50051", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "data")), "--help created the data directory");

        // What help points to: README's Configuration names every flag.
        var readme = await File.ReadAllTextAsync(Path.Combine(Peers.RepositoryRoot, "README.md"));
        Assert.All(Tessera.Server.ServerCommandLine.Flags, flag => Assert.Contains($"`{flag}", readme, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreadable_certificate_is_one_line_naming_it_and_exit_status_1()
    {
        var missing = Path.Combine(root, "missing.pem");

        var (code, errors) = await FailToStartAsync("--tls-cert", missing, "--tls-key", missing, "--urls", "https://127.0.0.1:0", "--data-dir", Path.Combine(root, "data"));

        Assert.Equal(1, code);
        Assert.Contains(missing, errors, StringComparison.Ordinal);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_data_directory_is_private_to_its_owner_and_a_second_server_on_it_is_refused()
    {
        var dataDir = Path.Combine(root, "data");
        var address = Loopback.FreeHttpUrl();
        await using var first = ServerProcess.Start(["--urls", address, "--data-dir", dataDir, "--auth", "none"]);
        await first.WaitUntilServingAsync(address);
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(address))
        {
            var users = new UserService.UserServiceClient(channel);
            for (var i = 0; i < 20; i++)
            {
                await users.CreateUserAsync(new CreateUserRequest { Username = $"mode{i}", Email = $"mode{i}@example.com" });
            }
        }

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(dataDir));
        var files = Directory.GetFiles(dataDir);
        Assert.Contains(Path.Combine(dataDir, "tessera.db-wal"), files);
        Assert.All(files, file => Assert.True(
            File.GetUnixFileMode(file) == (UnixFileMode.UserRead | UnixFileMode.UserWrite),
            $"{Path.GetFileName(file)} is {File.GetUnixFileMode(file)}"));

        var (code, errors) = await FailToStartAsync("--urls", Loopback.FreeHttpUrl(), "--data-dir", dataDir, "--auth", "none");
        Assert.Equal(1, code);
        Assert.Contains("in use by another tessera-server", errors, StringComparison.Ordinal);
        Assert.Contains(dataDir, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_screen_holds_the_addresses_and_the_admin_password_and_no_warnings()
    {
        var home = Path.Combine(root, "home");
        Directory.CreateDirectory(home);
        var address = Loopback.FreeHttpUrl();
        var metrics = Loopback.FreeHttpUrl();
        var web = Loopback.FreeHttpUrl();
        var environment = new Dictionary<string, string?> { ["HOME"] = home, ["TESSERA_ADMIN_PASSWORD"] = null };
        await using var server = ServerProcess.Start(
            ["--urls", address, "--web-urls", web, "--metrics-urls", metrics, "--data-dir", Path.Combine(root, "data")], environment);
        await server.WaitUntilServingAsync(address);

        var (output, errors) = await server.StopAsync();
        var screen = output + errors;
        Assert.Contains($"Now listening on: {address}", screen, StringComparison.Ordinal);
        Assert.Contains($"Now listening on: {metrics}", screen, StringComparison.Ordinal);
        Assert.Contains($"gRPC at {address}; the web console, REST (/openapi.json, /docs) and gRPC-Web at {web}", screen, StringComparison.Ordinal);
        Assert.Contains("Created user 'admin' with password: ", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("warn:", screen, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", screen, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(home, ".aspnet")), "the server wrote DataProtection keys under HOME");
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Starts the server, expects it to exit by itself, and checks it said why in one line without a stack trace.</summary>
    private static async Task<(int ExitCode, string Errors)> FailToStartAsync(params string[] args)
    {
        await using var server = ServerProcess.Start(args);
        var (code, output, errors) = await server.ExitAsync();
        var lines = errors.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("tessera-server: ", StringComparison.Ordinal), $"expected one line on stderr, got:\n{errors}");
        Assert.DoesNotContain("   at ", output + errors, StringComparison.Ordinal);
        Assert.DoesNotContain("fail:", output, StringComparison.Ordinal);
        return (code, errors);
    }
}
