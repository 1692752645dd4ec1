using System.CommandLine;
using System.Text.Json;
using Tessera.Cli.Bench;

namespace Tessera.Cli.Tests;

public sealed class BenchOptionsTests
{
    [Fact]
    public void Defaults_measure_ten_seconds_on_one_connection_after_a_warm_up()
    {
        var settings = Read("get-user");

        Assert.Equal(BenchScenario.GetUser, settings.Scenario);
        Assert.Equal(1, settings.Connections);
        Assert.Equal(16, settings.Concurrency);
        Assert.Equal(TimeSpan.FromSeconds(10), settings.Duration);
        Assert.Null(settings.Count);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Warmup);
        Assert.Null(settings.CallsPerSecond);
        Assert.False(settings.Json);
    }

    [Fact]
    public void A_count_replaces_the_duration_and_every_option_is_read()
    {
        var settings = Read(
            "watch", "--connections", "4", "--concurrency", "64", "--count", "200", "--warmup", "0", "--watchers", "10", "--rate", "50",
            "--id-range", "1000", "--batch", "500", "--with-password", "--rooms", "3", "--login", "admin", "--password", "secret-pw", "--json", "--calls-per-second", "750",
            "--write-address", "http://127.0.0.1:50052");

        Assert.Equal(BenchScenario.Watch, settings.Scenario);
        Assert.Equal((4, 64, 200L), (settings.Connections, settings.Concurrency, settings.Count!.Value));
        Assert.Null(settings.Duration);
        Assert.Equal(TimeSpan.Zero, settings.Warmup);
        Assert.Equal((10, 50, 1000L, 500, 3), (settings.Watchers, settings.Rate, settings.IdRange, settings.Batch, settings.Rooms));
        Assert.True(settings.WithPassword);
        Assert.Equal(750, settings.CallsPerSecond);
        Assert.Equal(("admin", "secret-pw"), (settings.Login, settings.Password));
        Assert.True(settings.Json);
        Assert.Equal("http://127.0.0.1:50052", settings.WriteAddress);
    }

    [Theory]
    [InlineData("no-such-scenario", "unknown scenario 'no-such-scenario'")]
    [InlineData("get-user --duration 5 --count 10", "not both")]
    [InlineData("get-user --connections 0", "--connections must be positive")]
    [InlineData("get-user --id-range 0", "--id-range must be positive")]
    [InlineData("get-user --calls-per-second 0", "--calls-per-second must be positive")]
    [InlineData("get-user --duration 0", "--duration must be positive")]
    [InlineData("get-user --warmup -1", "--warmup must not be negative")]
    [InlineData("get-user --write-address http://127.0.0.1:50052", "--write-address is for the watch scenario")]
    public void Impossible_settings_are_refused_with_a_reason(string args, string expected)
    {
        var error = Assert.Throws<CliException>(() => Read(args.Split(' ')));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_scenario_name_round_trips()
    {
        foreach (var (name, scenario) in BenchScenarioNames.ByName)
        {
            Assert.Equal(scenario, Read(name).Scenario);
            Assert.Equal(name, BenchScenarioNames.Of(scenario));
        }

        Assert.Equal(Enum.GetValues<BenchScenario>().Length, BenchScenarioNames.ByName.Count);
    }

    [Fact]
    public void The_json_report_has_snake_case_keys_rates_latencies_and_errors_by_code()
    {
        var latency = new LatencyHistogram();
        latency.Record(1_500);
        var report = new BenchReport
        {
            Scenario = "get-user",
            Address = "http://127.0.0.1:50051",
            Connections = 2,
            Concurrency = 8,
            Seconds = 2,
            Requests = 1000,
            Items = 1000,
            ErrorsByCode = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["UNAVAILABLE"] = 3 },
            LatencyMs = LatencySummary.From(latency),
            Extra = new SortedDictionary<string, double>(StringComparer.Ordinal) { ["watchers"] = 10 },
        };

        using var json = JsonDocument.Parse(report.ToJson());
        var root = json.RootElement;

        Assert.Equal("get-user", root.GetProperty("scenario").GetString());
        Assert.Equal(500, root.GetProperty("requests_per_second").GetDouble());
        Assert.Equal(500, root.GetProperty("items_per_second").GetDouble());
        Assert.Equal(3, root.GetProperty("errors").GetInt64());
        Assert.Equal(3, root.GetProperty("errors_by_code").GetProperty("UNAVAILABLE").GetInt64());
        Assert.Equal(1.5, root.GetProperty("latency_ms").GetProperty("p99").GetDouble());
        Assert.Equal(10, root.GetProperty("extra").GetProperty("watchers").GetDouble());
        foreach (var key in new[] { "connections", "concurrency", "seconds", "requests", "items", "address" })
        {
            Assert.True(root.TryGetProperty(key, out _), $"no '{key}' in {report.ToJson()}");
        }
    }

    [Fact]
    public async Task A_run_with_errors_says_so_on_standard_error()
    {
        var report = new BenchReport
        {
            Scenario = "noop",
            Address = "a",
            Requests = 5,
            ErrorsByCode = new SortedDictionary<string, long>(StringComparer.Ordinal) { ["NOT_FOUND"] = 2 },
            LatencyMs = new LatencySummary(1, 2, 3, 4, 1),
        };
        using var output = new StringWriter();
        using var error = new StringWriter();

        await ReportPrinter.WriteAsync(report, json: false, output, error);

        Assert.Contains("ERRORS: 2 failed (NOT_FOUND 2)", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("errors    2: NOT_FOUND 2", output.ToString(), StringComparison.Ordinal);
    }

    private static BenchSettings Read(params string[] args)
    {
        var options = new BenchOptions();
        var command = new RootCommand();
        options.AddTo(command);
        var parse = command.Parse(args);
        Assert.Empty(parse.Errors);
        return options.Read(parse);
    }
}
