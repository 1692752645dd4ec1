using Tessera.Server;

namespace Tessera.IntegrationTests.Operations;

/// <summary>What the server's command line accepts before the host reads it (StartupTests runs the process).</summary>
public sealed class ServerCommandLineTests
{
    [Theory]
    [InlineData("--rate-limit 5")]
    [InlineData("--rate-limit=5")]
    [InlineData("--RATE-LIMIT 5")]
    [InlineData("--Logging:LogLevel:Default Debug")]
    [InlineData("--environment Development")]
    [InlineData("--webroot /srv/console")]
    [InlineData("--bench-service true --data-dir /tmp/d --store sqlite")]
    public void Flags_configuration_paths_and_the_hosts_own_keys_pass(string line) => ServerCommandLine.Check(line.Split(' '));

    [Theory]
    [InlineData("--rate-limt=5", "--rate-limt is not a flag (did you mean --rate-limit?")]
    [InlineData("--tls-certificate", "did you mean --tls-cert?")]
    [InlineData("--xyzzy", "--xyzzy is not a flag (tessera-server --help lists them)")]
    [InlineData("data", "'data' is not a flag")]
    [InlineData("-v", "'-v' is not a flag")]
    [InlineData("--", "'--' is not a flag")]
    public void Anything_else_is_refused_naming_it(string arg, string message)
    {
        var error = Assert.Throws<OptionsException>(() => ServerCommandLine.Check(["--auth", "none", arg, "x"]));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    public void Help_is_asked_for_anywhere_on_the_line(string flag) =>
        Assert.True(ServerCommandLine.WantsHelp(["--auth", "none", flag]));

    [Fact]
    public void Help_gives_each_flag_its_default_as_the_server_works_it_out()
    {
        var help = ServerCommandLine.Help();

        Assert.Contains("--store                  sqlite\n", help, StringComparison.Ordinal);
        Assert.Contains("--max-streams            200\n", help, StringComparison.Ordinal);
        Assert.Contains($"--web-urls               {TesseraHost.DefaultWebUrls} ", help, StringComparison.Ordinal);
        Assert.Contains("--bench-service          false\n", help, StringComparison.Ordinal);
        Assert.Equal(ServerCommandLine.Flags.Count, help.Split('\n').Count(line => line.StartsWith("  --", StringComparison.Ordinal)));
    }
}
