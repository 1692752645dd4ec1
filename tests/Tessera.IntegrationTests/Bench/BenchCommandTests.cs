extern alias tesseracli;

using System.CommandLine;
using System.Text.Json;
using Tessera.Contracts.User.V1;
using CliProgram = tesseracli::Tessera.Cli.Program;
using CliRunner = tesseracli::Tessera.Cli.CliRunner;

namespace Tessera.IntegrationTests.Bench;

/// <summary>`tessera bench` against a real server: a tiny run, checked for its count, errors and percentiles.</summary>
public sealed class BenchCommandTests
{
    [Fact]
    public async Task A_small_get_user_run_reports_every_call_without_errors_and_ordered_percentiles()
    {
        await using var server = TesseraServer.With(["--auth", "none", "--bench-service", "true"]);
        await server.InitializeAsync();
        var user = (await server.Users.CreateUserAsync(new CreateUserRequest { Username = "benchy", Email = "benchy@example.com" })).User;

        var (code, report, error) = await BenchAsync(server, "get-user", "--count", "200", "--connections", "1", "--concurrency", "4", "--warmup", "0", "--id-range", user.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));

        Assert.True(code == 0, $"exit code {code}: {error}");
        Assert.Equal("get-user", report.GetProperty("scenario").GetString());
        Assert.Equal(200, report.GetProperty("requests").GetInt64());
        Assert.Equal(0, report.GetProperty("errors").GetInt64());
        Assert.True(report.GetProperty("requests_per_second").GetDouble() > 0);
        var latency = report.GetProperty("latency_ms");
        var (p50, p90, p99, max) = (latency.GetProperty("p50").GetDouble(), latency.GetProperty("p90").GetDouble(), latency.GetProperty("p99").GetDouble(), latency.GetProperty("max").GetDouble());
        Assert.True(0 < p50 && p50 <= p90 && p90 <= p99 && p99 <= max, $"percentiles out of order: {latency}");
        Assert.True(server.Errors.IsEmpty, string.Join("\n", server.Errors));
    }

    [Fact]
    public async Task A_paced_run_starts_calls_at_the_asked_rate_not_as_fast_as_it_can()
    {
        await using var server = TesseraServer.With(["--auth", "none", "--bench-service", "true"]);
        await server.InitializeAsync();

        // 200 calls/s for 1.5 s: about 300 calls, where a closed loop of 4 workers would make thousands.
        var (code, report, error) = await BenchAsync(server, "noop", "--duration", "1.5", "--concurrency", "4", "--warmup", "0", "--calls-per-second", "200");

        Assert.True(code == 0, $"exit code {code}: {error}");
        var requests = report.GetProperty("requests").GetInt64();
        Assert.InRange(requests, 250, 310);
    }

    [Fact]
    public async Task The_noop_rpc_is_served_only_with_bench_service_and_failures_are_counted_by_code()
    {
        await using var without = new TesseraServer();
        await without.InitializeAsync();

        var (code, report, error) = await BenchAsync(without, "noop", "--count", "20", "--concurrency", "2", "--warmup", "0");

        Assert.Equal(1, code);
        Assert.Equal(20, report.GetProperty("errors_by_code").GetProperty("UNIMPLEMENTED").GetInt64());
        Assert.Contains("ERRORS: 20 failed", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, JsonElement Report, string Error)> BenchAsync(TesseraServer server, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await CliRunner.RunAsync(
            CliProgram.BuildRootCommand(),
            ["--address", server.Address, "bench", .. args, "--json"],
            new InvocationConfiguration { Output = output, Error = error });
        var text = output.ToString();
        Assert.False(string.IsNullOrWhiteSpace(text), $"no report; stderr: {error}");
        using var json = JsonDocument.Parse(text);
        return (code, json.RootElement.Clone(), error.ToString());
    }
}
