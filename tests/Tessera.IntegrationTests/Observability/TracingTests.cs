using System.Diagnostics;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;

namespace Tessera.IntegrationTests.Observability;

/// <summary>
/// Trace context from the caller (W3C <c>traceparent</c>): the server's spans join the caller's trace when tracing
/// is on, and its logs carry the trace id in text and JSON whether tracing is on or not.
/// </summary>
public sealed class TracingTests
{
    private static readonly ActivityTraceId CallerTrace = ActivityTraceId.CreateRandom();
    private static readonly ActivitySpanId CallerSpan = ActivitySpanId.CreateRandom();

    private static Metadata TraceParent() => new() { { "traceparent", $"00-{CallerTrace.ToHexString()}-{CallerSpan.ToHexString()}-01" } };

    [Fact]
    public async Task A_GetUser_with_a_traceparent_yields_a_server_span_in_the_callers_trace()
    {
        await using var server = TesseraServer.With(["--auth", "none"]);
        var spans = server.ExportTraces();
        await server.InitializeAsync();
        var user = (await server.Users.CreateUserAsync(new CreateUserRequest { Username = "traced", Email = "traced@example.com" })).User;

        // A channel that sends the caller's traceparent as given: this process's own HttpClient spans (the server's
        // tracer provider sees them too) would otherwise start a trace of their own and send that instead.
        using var channel = Grpc.Net.Client.GrpcChannel.ForAddress(
            server.Address, new Grpc.Net.Client.GrpcChannelOptions { HttpHandler = new SocketsHttpHandler { ActivityHeadersPropagator = null } });
        await new UserService.UserServiceClient(channel).GetUserAsync(new GetUserRequest { UserId = user.Id }, TraceParent());

        var span = await WaitForAsync(spans, span => span.TraceId == CallerTrace && span.Kind == ActivityKind.Server);
        Assert.Equal(CallerSpan, span.ParentSpanId);
        Assert.Contains("user.v1.UserService/GetUser", span.DisplayName + " " + span.GetTagItem("url.path"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_an_otlp_endpoint_there_is_no_tracer_provider()
    {
        await using var server = TesseraServer.With(["--auth", "none"]);
        await server.InitializeAsync();

        Assert.Null(server.Services.GetService(typeof(OpenTelemetry.Trace.TracerProvider)));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_call_with_a_traceparent_logs_its_trace_id(string format)
    {
        var address = Loopback.FreeHttpUrl();
        var dataDirectory = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        await using var server = ServerProcess.Start(["--auth", "none", "--log-format", format, "--urls", address, "--data-dir", dataDirectory, "--shutdown-seconds", "1"]);
        await server.WaitUntilServingAsync(address);
        using (var channel = Grpc.Net.Client.GrpcChannel.ForAddress(address))
        {
            var users = new UserService.UserServiceClient(channel);
            var missing = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = 987_654 }, TraceParent()).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        }

        var (output, _) = await server.StopAsync();
        Directory.Delete(dataDirectory, recursive: true);
        var lines = output.Split('\n');
        var traced = lines.Select((line, i) => (line, i)).Where(entry => entry.line.Contains(CallerTrace.ToHexString(), StringComparison.Ordinal)).ToList();
        Assert.True(traced.Count > 0, $"no log line carries the trace id {CallerTrace}:\n{output}");
        // The call's own log line: in JSON the same line; in text the message line just below its scope line.
        Assert.Contains(traced, entry => (format == "json" ? entry.line : lines[Math.Min(entry.i + 1, lines.Length - 1)]).Contains("GetUser from", StringComparison.Ordinal));
    }

    private static async Task<Activity> WaitForAsync(List<Activity> spans, Func<Activity, bool> match)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            if (spans.ToArray().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            if (deadline.IsCancellationRequested)
            {
                Assert.Fail("no such span; exported: " + string.Join(", ", spans.ToArray().Select(span => $"{span.Kind} {span.DisplayName} {span.TraceId}")));
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }
}
