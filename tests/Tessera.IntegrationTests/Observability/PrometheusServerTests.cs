using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Observability;

/// <summary>A real Prometheus (Debian's package) scrapes the server's /metrics and reports the calls made.</summary>
public sealed class PrometheusServerTests
{
    private const string Binary = "/usr/bin/prometheus";
    private const string NotFoundCalls = """grpc_requests_total{method="/user.v1.UserService/GetUser",status="NOT_FOUND"}""";

    [SkippableFact]
    public async Task Prometheus_scrapes_the_metrics_endpoint_and_sees_the_calls_made()
    {
        var prometheus = Peers.Require(Binary, "install it with: sudo apt-get install prometheus (scripts/test does, when run as root)");
        await using var server = TesseraServer.With(["--auth", "none", "--metrics-urls", Loopback.FreeHttpUrl()]);
        await server.InitializeAsync();
        await FailGetUserAsync(server, 3);

        var directory = Directory.CreateTempSubdirectory("tessera-prometheus-");
        var port = Loopback.FreePort();
        var config = Path.Combine(directory.FullName, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: tessera
                static_configs:
                  - targets: ['{new Uri(server.MetricsAddress!).Authority}']
            """);
        var output = new StringBuilder();
        using var process = new Process
        {
            StartInfo = new ProcessStartInfo(prometheus)
            {
                ArgumentList =
                {
                    $"--config.file={config}",
                    $"--storage.tsdb.path={Path.Combine(directory.FullName, "data")}",
                    $"--web.listen-address=127.0.0.1:{port}",
                },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            },
        };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        var started = false;
        try
        {
            started = process.Start();
            Assert.True(started, "could not start prometheus");
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };

            var seen = await QueryUntilAsync(http, process, NotFoundCalls, 3);
            Assert.True(seen == 3, $"Prometheus reported {NotFoundCalls} = {seen?.ToString(CultureInfo.InvariantCulture) ?? "nothing"} within 30 s; expected 3. Its output:\n{Text(output)}");

            await FailGetUserAsync(server, 2);
            seen = await QueryUntilAsync(http, process, NotFoundCalls, 5);
            Assert.True(seen == 5, $"after 2 more calls Prometheus reported {seen?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}; expected 5. Its output:\n{Text(output)}");
            Assert.Equal(1, await QueryUntilAsync(http, process, """up{job="tessera"}""", 1));
        }
        finally
        {
            if (started)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
            }

            try
            {
                directory.Delete(recursive: true);
            }
            catch (IOException)
            {
            }
        }

        Assert.Empty(server.Errors);
    }

    private static async Task FailGetUserAsync(TesseraServer server, int times)
    {
        for (var i = 0; i < times; i++)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => server.Users.GetUserAsync(new GetUserRequest { UserId = 1_000_000 + i }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }
    }

    /// <summary>Asks Prometheus' HTTP API for an instant value until it is <paramref name="wanted"/> or 30 s pass; the last value seen.</summary>
    private static Task<double?> QueryUntilAsync(HttpClient http, Process process, string query, double wanted) =>
        Poll.UntilAsync(
            async () =>
            {
                Assert.False(process.HasExited, $"prometheus exited with code {(process.HasExited ? process.ExitCode : 0)}");
                try
                {
                    using var response = await http.GetAsync(new Uri($"/api/v1/query?query={Uri.EscapeDataString(query)}", UriKind.Relative));
                    if (!response.IsSuccessStatusCode)
                    {
                        return null;
                    }

                    using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                    var result = json.RootElement.GetProperty("data").GetProperty("result");
                    return result.GetArrayLength() == 1
                        ? double.Parse(result[0].GetProperty("value")[1].GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                        : (double?)null;
                }
                catch (HttpRequestException)
                {
                    return null; // not listening yet
                }
            },
            value => value == wanted,
            TimeSpan.FromSeconds(30));

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
