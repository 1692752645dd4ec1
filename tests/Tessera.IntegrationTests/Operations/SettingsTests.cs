using Microsoft.Extensions.Configuration;
using Tessera.Server;

namespace Tessera.IntegrationTests.Operations;

/// <summary>Settings come from flags, configuration keys and environment variables, with the documented defaults.</summary>
public sealed class SettingsTests
{
    private static TesseraOptions Read(string[] flags, Dictionary<string, string?>? keys = null) =>
        TesseraOptions.Read(new ConfigurationBuilder().AddInMemoryCollection(keys ?? []).AddCommandLine(flags).Build());

    [Fact]
    public void Without_settings_the_defaults_are_those_README_lists()
    {
        var options = Read([]);

        Assert.Equal([TesseraHost.DefaultUrls], options.Urls);
        Assert.True(options.AuthEnabled);
        Assert.Equal(50_000, options.RateLimitPerSecond);
        Assert.Equal(200, options.AnonymousRateLimitPerSecond);
        Assert.Equal(200, options.MaxConcurrentStreams);
        Assert.Equal(4 * 1024 * 1024, options.MaxReceiveMessageSize);
        Assert.Equal(TimeSpan.FromMinutes(15), options.AccessTokenLifetime);
        Assert.Equal(TimeSpan.FromSeconds(10), options.ShutdownTimeout);
        Assert.False(options.BenchService);
        Assert.False(options.JsonLogs);
        Assert.Equal(Tessera.Server.Observability.CallLogMode.Failed, options.CallLog);
        Assert.Empty(options.MetricsUrls);
    }

    [Fact]
    public void Flags_win_over_configuration_keys_and_every_flag_is_read()
    {
        var options = Read(
            ["--rate-limit", "7", "--anonymous-rate-limit", "0", "--auth", "none", "--log-format", "json", "--call-log", "all", "--bench-service", "true",
             "--urls", "http://127.0.0.1:1;http://127.0.0.1:2", "--metrics-urls", "http://127.0.0.1:3", "--max-streams", "9",
             "--max-message-bytes", "1000", "--access-token-minutes", "5", "--shutdown-seconds", "0", "--jwt-issuer", "i", "--jwt-audience", "a"],
            new() { ["rate-limit"] = "50", ["max-streams"] = "11", ["data-dir"] = "/tmp/from-appsettings" });

        Assert.Equal(7, options.RateLimitPerSecond);
        Assert.Equal(0, options.AnonymousRateLimitPerSecond);
        Assert.False(options.AuthEnabled);
        Assert.True(options.JsonLogs);
        Assert.Equal(Tessera.Server.Observability.CallLogMode.All, options.CallLog);
        Assert.True(options.BenchService);
        Assert.Equal(["http://127.0.0.1:1", "http://127.0.0.1:2"], options.Urls);
        Assert.Equal(["http://127.0.0.1:3"], options.MetricsUrls);
        Assert.Equal(9, options.MaxConcurrentStreams);
        Assert.Equal(1000, options.MaxReceiveMessageSize);
        Assert.Equal(TimeSpan.FromMinutes(5), options.AccessTokenLifetime);
        Assert.Equal(TimeSpan.Zero, options.ShutdownTimeout);
        Assert.Equal(("i", "a"), (options.JwtIssuer, options.JwtAudience));
        Assert.Equal("/tmp/from-appsettings", options.DataDirectory);
    }

    [Fact]
    public void With_a_certificate_the_default_address_is_https()
    {
        var options = Read(["--tls-cert", "c.pem", "--tls-key", "k.pem"]);

        Assert.Equal([TesseraHost.DefaultTlsUrls], options.Urls);
        Assert.True(options.TlsEnabled);
    }

    [Theory]
    [InlineData("--max-message-bytes", "4MB", "--max-message-bytes must be a whole number, not '4MB'")]
    [InlineData("--bench-service", "on", "--bench-service must be 'true' or 'false', not 'on'")]
    [InlineData("--call-log", "some", "--call-log must be 'all', 'failed' or 'none', not 'some'")]
    [InlineData("--anonymous-rate-limit", "-1", "--anonymous-rate-limit must be 0 (unlimited) or more, not -1")]
    [InlineData("--access-token-minutes", "0", "--access-token-minutes must be 1 or more, not 0")]
    [InlineData("--tls-client-ca", "ca.pem", "--tls-client-ca (mTLS) needs TLS: give --tls-cert and --tls-key too")]
    public void A_setting_that_cannot_work_is_one_line_naming_the_flag(string flag, string value, string message)
    {
        var e = Assert.Throws<OptionsException>(() => Read([flag, value]));

        Assert.Equal(message, e.Message);
    }

    [SkippableFact]
    public void Postgres_with_jwt_and_no_shared_key_refuses_to_start_rather_than_generate_a_key_of_its_own()
    {
        Skip.If(Environment.GetEnvironmentVariable("TESSERA_JWT_KEY") is not null, "TESSERA_JWT_KEY is set in this environment");

        var e = Assert.Throws<OptionsException>(() => Read(["--store", "postgres", "--connection", "Host=127.0.0.1"]));

        Assert.Contains("give every replica the same signing key", e.Message, StringComparison.Ordinal);
        Assert.Equal("k", Read(["--store", "postgres", "--connection", "Host=127.0.0.1", "--jwt-key", "k"]).JwtKey);
        Assert.Equal("f", Read(["--store", "postgres", "--connection", "Host=127.0.0.1", "--jwt-key-file", "f"]).JwtKeyFile);
        Assert.False(Read(["--store", "postgres", "--connection", "Host=127.0.0.1", "--auth", "none"]).AuthEnabled);
    }
}
