using System.Diagnostics;

namespace Tessera.IntegrationTests.Operations;

/// <summary>Server reflection, checked the way a user would: with <c>buf curl</c> and no schema at hand.</summary>
public sealed class ReflectionTests
{
    private static async Task<(int ExitCode, string Output)> BufCurlAsync(params string[] args)
    {
        var start = new ProcessStartInfo(Peers.Buf) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await error);
    }

    [SkippableFact]
    public async Task Buf_curl_lists_the_services_and_calls_one_by_name()
    {
        await using var server = new TesseraServer();
        await server.InitializeAsync();
        var created = await server.Users.CreateUserAsync(new Tessera.Contracts.User.V1.CreateUserRequest { Username = "reflected", Email = "reflected@example.com" });

        var (listed, services) = await BufCurlAsync("curl", "--protocol", "grpc", "--http2-prior-knowledge", "--list-services", server.Address);
        var (called, user) = await BufCurlAsync("curl", "--protocol", "grpc", "--http2-prior-knowledge",
            "-d", $$"""{"user_id": {{created.User.Id}}}""", $"{server.Address}/user.v1.UserService/GetUser");

        Assert.True(listed == 0, services);
        Assert.Contains("user.v1.UserService", services, StringComparison.Ordinal);
        Assert.Contains("auth.v1.AuthService", services, StringComparison.Ordinal);
        Assert.Contains("grpc.health.v1.Health", services, StringComparison.Ordinal);
        Assert.True(called == 0, user);
        Assert.Contains("\"username\": \"reflected\"", user, StringComparison.Ordinal);
    }
}
