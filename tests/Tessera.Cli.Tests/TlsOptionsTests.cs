namespace Tessera.Cli.Tests;

/// <summary>The global <c>--ca</c>, <c>--cert</c> and <c>--key</c> options reach the SDK's options.</summary>
public sealed class TlsOptionsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    /// <summary>A config file that does not exist, so the user's own saved sessions never reach these tests.</summary>
    private static Config.ConfigStore NoConfig() => new(Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("N"), "config.json"));

    [Fact]
    public async Task Ca_cert_and_key_are_passed_to_the_client_options()
    {
        await _cli.RunAsync("--address", "https://127.0.0.1:50051", "--ca", "certs/ca.pem", "--cert", "certs/client.pem", "--key", "certs/client-key.pem", "users", "get", "7");

        Assert.Equal("https://127.0.0.1:50051", _cli.ClientOptions!.Address);
        Assert.Equal("certs/ca.pem", _cli.ClientOptions.CaCertificatePath);
        Assert.Equal("certs/client.pem", _cli.ClientOptions.ClientCertificatePath);
        Assert.Equal("certs/client-key.pem", _cli.ClientOptions.ClientKeyPath);
    }

    [Fact]
    public async Task They_may_follow_the_command_too()
    {
        await _cli.RunAsync("users", "get", "7", "--ca", "ca.pem", "--cert", "client.pem", "--key", "client-key.pem");

        Assert.Equal("ca.pem", _cli.ClientOptions!.CaCertificatePath);
        Assert.Equal("client.pem", _cli.ClientOptions.ClientCertificatePath);
        Assert.Equal("client-key.pem", _cli.ClientOptions.ClientKeyPath);
    }

    [Fact]
    public async Task Login_takes_them_as_well()
    {
        _cli.Invoker.OnUnary = (_, _) => new Contracts.Auth.V1.LoginResponse { Tokens = new Contracts.Auth.V1.TokenPair { AccessToken = "t" } };

        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("login", "--username", "ada", "--password", "pw", "--ca", "ca.pem"));

        Assert.Equal("ca.pem", _cli.ClientOptions!.CaCertificatePath);
    }

    [Fact]
    public async Task Without_them_nothing_is_set_unless_the_environment_says_so()
    {
        await _cli.RunAsync("users", "get", "7");

        Assert.Equal(Environment.GetEnvironmentVariable("TESSERA_CA") is { Length: > 0 } ca ? ca : null, _cli.ClientOptions!.CaCertificatePath);
        Assert.Equal(Environment.GetEnvironmentVariable("TESSERA_CERT") is { Length: > 0 } cert ? cert : null, _cli.ClientOptions.ClientCertificatePath);
        Assert.Equal(Environment.GetEnvironmentVariable("TESSERA_KEY") is { Length: > 0 } key ? key : null, _cli.ClientOptions.ClientKeyPath);
    }

    [Fact]
    public async Task Tls_settings_that_cannot_work_are_an_error_message_not_a_crash()
    {
        var globals = new GlobalOptions { Config = NoConfig }; // the real client factory
        var output = new StringWriter();
        var error = new StringWriter();

        var code = await CliRunner.RunAsync(Program.BuildRootCommand(globals), ["--address", "https://127.0.0.1:1", "--ca", "/nonexistent/ca.pem", "users", "get", "7"],
            new System.CommandLine.InvocationConfiguration { Output = output, Error = error });

        Assert.Equal(ExitCodes.Failed, code);
        Assert.Contains("cannot load the CA certificate /nonexistent/ca.pem", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ca_with_an_http_address_is_refused()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("N"));
        try
        {
            Certificates.DevCertificates.CreateIn(dir, days: 1);
            var error = new StringWriter();

            var code = await CliRunner.RunAsync(Program.BuildRootCommand(new GlobalOptions { Config = NoConfig }), ["--address", "http://127.0.0.1:1", "--ca", Path.Combine(dir, "ca.pem"), "users", "get", "7"],
                new System.CommandLine.InvocationConfiguration { Output = new StringWriter(), Error = error });

            Assert.Equal(ExitCodes.Failed, code);
            Assert.Contains("not an https:// address", error.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
