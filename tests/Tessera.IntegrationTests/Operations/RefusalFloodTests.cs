using System.Collections.Concurrent;
using Google.Rpc;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Observability;
using Tessera.Server;
using Tessera.Server.Observability;

namespace Tessera.IntegrationTests.Operations;

/// <summary>
/// Every call is rate-limited and counted, whatever refuses it; refused calls are summarised in the log per caller,
/// never logged one by one; and the defaults let a signed-in client work while an anonymous flood is held back.
/// </summary>
public sealed class RefusalFloodTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private const int Calls = 20_000;
    private const string GetUser = "/user.v1.UserService/GetUser";

    [Fact]
    public async Task Twenty_thousand_refused_calls_are_all_counted_and_logged_in_a_few_summary_lines()
    {
        await using var server = TesseraServer.With(["--rate-limit", "1000", "--anonymous-rate-limit", "100"]);
        var logs = server.CaptureLogs();
        await server.InitializeAsync();
        var metrics = server.Services.GetRequiredService<GrpcMetrics>();
        var before = logs.Entries.Count;

        // Anonymous calls to a method that needs a signed-in user: UNAUTHENTICATED, or RESOURCE_EXHAUSTED over the limit.
        var statuses = new ConcurrentDictionary<StatusCode, int>();
        // RESOURCE_EXHAUSTED without Tessera's RATE_LIMITED detail never reached Tessera: the HTTP/2 layer refused the
        // stream (gRPC reads HTTP/2's ENHANCE_YOUR_CALM as RESOURCE_EXHAUSTED). Seen for a handful of 20,000 in CI.
        var byTransport = new ConcurrentBag<string>();
        RpcException? limited = null;
        var next = 0;
        await Task.WhenAll(Enumerable.Range(0, 32).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) <= Calls)
            {
                try
                {
                    await server.Users.GetUserAsync(new GetUserRequest { UserId = 1 });
                    statuses.AddOrUpdate(StatusCode.OK, 1, (_, n) => n + 1);
                }
                catch (RpcException e)
                {
                    statuses.AddOrUpdate(e.StatusCode, 1, (_, n) => n + 1);
                    if (e.StatusCode == StatusCode.ResourceExhausted && e.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason != "RATE_LIMITED")
                    {
                        byTransport.Add(e.Status.Detail);
                    }
                    else if (e.StatusCode == StatusCode.ResourceExhausted)
                    {
                        limited ??= e;
                    }
                }
            }
        })));

        Assert.Equal([StatusCode.ResourceExhausted, StatusCode.Unauthenticated], statuses.Keys.Order());
        Assert.NotNull(limited);
        var status = limited.GetRpcStatus()!;
        Assert.Equal("RATE_LIMITED", status.GetDetail<ErrorInfo>()?.Reason);
        Assert.True(status.GetDetail<RetryInfo>()?.RetryDelay.ToTimeSpan() > TimeSpan.Zero, "a refusal says when to retry");

        var transportRefusals = string.Join("; ", byTransport.Distinct());
        output.WriteLine($"refused by the HTTP/2 layer before Tessera: {byTransport.Count} ({transportRefusals})");
        Assert.True(byTransport.Count <= Calls / 200, $"{byTransport.Count} calls refused by the HTTP/2 layer: {transportRefusals}");
        var answered = Calls - byTransport.Count;
        double Counted() => metrics.Requests.WithLabels(GetUser, "UNAUTHENTICATED").Value + metrics.Requests.WithLabels(GetUser, "RESOURCE_EXHAUSTED").Value;
        var counted = await Poll.UntilAsync(() => Task.FromResult(Counted()), counted => counted >= answered, TimeSpan.FromSeconds(10));
        // Every label the server counted, so a shortfall says where the missing calls went (once seen in CI: 19,995).
        var everyLabel = string.Join(", ", metrics.Requests.GetAllLabelValues().Select(labels => $"{string.Join("/", labels)} {metrics.Requests.WithLabels(labels).Value}"));
        Assert.True(counted == answered, $"{counted} of the {answered} refused calls Tessera answered counted; by label: {everyLabel}; refused by the HTTP/2 layer: {byTransport.Count} ({transportRefusals})");
        // Counted after the request counter, in the same step that may still be finishing for the last calls.
        double Refused() => metrics.Refused.WithLabels("UNAUTHENTICATED", "anonymous").Value + metrics.Refused.WithLabels("RESOURCE_EXHAUSTED", "anonymous").Value;
        Assert.Equal(answered, await Poll.UntilAsync(() => Task.FromResult(Refused()), refused => refused >= answered, TimeSpan.FromSeconds(10)));

        await server.StopAsync();
        var written = logs.Entries.Skip(before).ToList();
        output.WriteLine($"{Calls} refused calls ({string.Join(", ", statuses.Select(pair => $"{pair.Key} {pair.Value}"))}): {written.Count} log entries, {written.Sum(entry => entry.Message.Length)} characters of messages");
        Assert.True(written.Count < 50, $"{written.Count} log entries for {Calls} refused calls:\n{string.Join("\n", written.Take(20))}");
        var summaries = written.Where(entry => entry.EventName == "GrpcCallsRefused").ToList();
        Assert.NotEmpty(summaries);
        Assert.All(summaries, summary => Assert.Equal("address 127.0.0.1", summary.Properties["Caller"]));
        Assert.Equal(answered, summaries.Sum(summary => (long)summary.Properties["Count"]!));
        Assert.Contains(summaries, summary => summary.Message.Contains("RESOURCE_EXHAUSTED", StringComparison.Ordinal) && summary.Message.Contains("UNAUTHENTICATED", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Under_the_defaults_a_signed_in_client_is_served_while_an_anonymous_flood_from_its_address_is_limited()
    {
        Environment.SetEnvironmentVariable("TESSERA_ADMIN_PASSWORD", Security.AuthServer.AdminPassword);
        await using var server = TesseraServer.With(["--rate-limit", TesseraOptions.DefaultRateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await server.InitializeAsync();
        var auth = new AuthService.AuthServiceClient(server.Channel);
        var tokens = (await auth.LoginAsync(new LoginRequest { Username = "admin", Password = Security.AuthServer.AdminPassword })).Tokens;
        var admin = Security.AuthServer.Bearer(tokens);
        var me = await server.Users.SearchUsersAsync(new SearchUsersRequest { Filter = "username = \"admin\"" }, admin);

        using var stop = new CancellationTokenSource();
        var anonymous = new ConcurrentDictionary<StatusCode, int>();
        var sent = 0;
        var flood = Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested && Interlocked.Increment(ref sent) <= Calls)
            {
                var code = await Assertions.StatusOf(() => server.Users.GetUserAsync(new GetUserRequest { UserId = 1 }).ResponseAsync);
                anonymous.AddOrUpdate(code, 1, (_, n) => n + 1);
            }
        })));

        var signedIn = new List<StatusCode>();
        await Poll.UntilAsync(() => Task.FromResult(anonymous.GetValueOrDefault(StatusCode.ResourceExhausted)), refused => refused > 0, TimeSpan.FromSeconds(10));
        for (var i = 0; i < 300; i++)
        {
            signedIn.Add(await Assertions.StatusOf(() => server.Users.GetUserAsync(new GetUserRequest { UserId = me.Users[0].Id }, admin).ResponseAsync));
        }

        await stop.CancelAsync();
        await flood;
        Assert.All(signedIn, code => Assert.Equal(StatusCode.OK, code));
        Assert.True(anonymous.GetValueOrDefault(StatusCode.ResourceExhausted) > 0, "the anonymous flood was never limited");
    }
}
