using Grpc.Core;

namespace Tessera.Cli.Tests;

/// <summary><c>--address</c> takes what the SDK takes: one server, a list of replicas, or <c>dns:///host:port</c>.</summary>
public sealed class AddressOptionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A config file that does not exist, so the user's own saved sessions never reach these tests.</summary>
    private static Config.ConfigStore NoConfig() => new(Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("N"), "config.json"));

    /// <summary>Runs <c>tessera</c> with the real client (not the harness's fake), so the SDK reads the address.</summary>
    private static async Task<(int Code, string Error)> RunRealAsync(params string[] args)
    {
        var error = new StringWriter();
        var code = await CliRunner.RunAsync(Program.BuildRootCommand(new GlobalOptions { Config = NoConfig }), args,
            new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = error });
        return (code, error.ToString());
    }

    [Fact]
    public async Task A_list_of_replicas_is_passed_to_the_client_as_given()
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("--address", "http://127.0.0.1:50051,http://127.0.0.1:50052", "users", "get", "7"));

        Assert.Equal("http://127.0.0.1:50051,http://127.0.0.1:50052", _cli.ClientOptions!.Address);
    }

    [Theory]
    [InlineData("http://127.0.0.1:1,http://127.0.0.1:2")]
    [InlineData("dns:///localhost:1")]
    public async Task A_balanced_address_makes_a_client_whose_calls_fail_only_because_nothing_listens(string address)
    {
        var (code, error) = await RunRealAsync("--address", address, "--timeout", "10", "users", "get", "7");

        Assert.Equal(ExitCodes.For(StatusCode.Unavailable), code);
        Assert.DoesNotContain("Credentials", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_address_is_refused_with_the_forms_that_work()
    {
        var (code, error) = await RunRealAsync("--address", "dns:///tessera-headless", "users", "get", "7");

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("--address: 'dns:///tessera-headless' is not a server address (a DNS address is dns:///host:port: the port is missing)", error, StringComparison.Ordinal);
        Assert.Contains("a comma-separated list of those", error, StringComparison.Ordinal);
    }
}
