using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Contracts.User.V1;
using Tessera.Users.Chat;
using MonitoringChat = Tessera.Contracts.Monitoring.V1.ChatMessage;
using ProtoLevel = Tessera.Contracts.Monitoring.V1.LogLevel;

namespace Tessera.IntegrationTests.Monitoring;

/// <summary>monitoring.v1 on a server without authentication (every caller an admin).</summary>
public sealed class MonitoringTests(TesseraServer server) : ServerTests(server)
{
    private const string GetUserMethod = "/user.v1.UserService/GetUser";

    private MonitoringService.MonitoringServiceClient Monitoring => new(Server.Channel);

    [Fact]
    public async Task StreamMetrics_sees_the_GetUser_count_and_rate_go_up_after_calls()
    {
        var user = await CreateAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var stream = Monitoring.StreamMetrics(
            new StreamMetricsRequest { Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(200)), ServiceName = "users", MetricNames = { "grpc.requests*" } },
            cancellationToken: deadline.Token);
        var first = await stream.ResponseStream.NextAsync();
        Assert.Equal("users", first.ServiceName);
        Assert.All(first.Metrics.Keys, name => Assert.StartsWith("grpc.requests", name, StringComparison.Ordinal));
        var before = first.Metrics.GetValueOrDefault($"grpc.requests|method={GetUserMethod}");

        for (var i = 0; i < 5; i++)
        {
            await Users.GetUserAsync(new GetUserRequest { UserId = user.Id });
        }

        var sawCount = false;
        var sawRate = false;
        while (!(sawCount && sawRate))
        {
            var data = await stream.ResponseStream.NextAsync();
            sawCount |= data.Metrics.GetValueOrDefault($"grpc.requests|method={GetUserMethod}") >= before + 5;
            sawRate |= data.Metrics.GetValueOrDefault($"grpc.requests.rate|method={GetUserMethod}") > 0;
        }
    }

    [Fact]
    public async Task StreamMetrics_refuses_an_interval_out_of_range_and_an_unknown_service()
    {
        foreach (var request in new[]
        {
            new StreamMetricsRequest { Interval = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(50)) },
            new StreamMetricsRequest { Interval = Duration.FromTimeSpan(TimeSpan.FromHours(2)) },
            new StreamMetricsRequest { ServiceName = "nope" },
        })
        {
            await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
            {
                using var stream = Monitoring.StreamMetrics(request);
                await stream.ResponseStream.MoveNext();
            });
        }
    }

    [Fact]
    public async Task StreamLogs_receives_the_line_a_call_logged_with_its_trace_id_and_honours_filters()
    {
        var user = await CreateAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var logs = Monitoring.StreamLogs(
            new StreamLogsRequest { MinLevel = ProtoLevel.Information, Contains = "user.v1.userservice/getuser", Category = "Tessera.Server" },
            cancellationToken: deadline.Token);
        using var warnings = Monitoring.StreamLogs(
            new StreamLogsRequest { MinLevel = ProtoLevel.Warning, Contains = "user.v1.userservice/getuser" },
            cancellationToken: deadline.Token);
        await Task.Delay(0, deadline.Token);

        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom().ToHexString();
        var headers = new Metadata { { "traceparent", $"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom().ToHexString()}-01" } };

        // The reader may not be registered on the server yet: call until its line arrives. The call fails (NOT_FOUND),
        // as by default only calls that did not end OK are logged (--call-log failed).
        var read = logs.ResponseStream.MoveNext(deadline.Token);
        while (!read.IsCompleted)
        {
            await Assertions.FailsWith(StatusCode.NotFound, async () =>
                await Users.GetUserAsync(new GetUserRequest { UserId = user.Id + 1_000_000 }, headers, cancellationToken: deadline.Token));
            await Task.WhenAny(read, Task.Delay(100, deadline.Token));
        }

        Assert.True(await read);
        var entry = logs.ResponseStream.Current;
        Assert.Contains(GetUserMethod, entry.Message, StringComparison.Ordinal);
        Assert.Equal(ProtoLevel.Information, entry.Level);
        Assert.StartsWith("Tessera.Server", entry.Category, StringComparison.Ordinal);
        Assert.Equal(traceId, entry.TraceId);
        Assert.Equal(GetUserMethod, entry.Attributes["GrpcMethod"]);

        // The warnings-only reader got none of these information lines.
        var nothing = warnings.ResponseStream.MoveNext(deadline.Token);
        Assert.NotSame(nothing, await Task.WhenAny(nothing, Task.Delay(300, deadline.Token)));
    }

    [Fact]
    public async Task A_slow_log_reader_loses_its_oldest_entries_and_is_told_how_many()
    {
        const int written = 20_000;
        var marker = Guid.NewGuid().ToString("N");
        var logger = Server.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Tessera.Monitoring.Tests");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var logs = Monitoring.StreamLogs(new StreamLogsRequest { Contains = marker }, cancellationToken: deadline.Token);

        var ready = logs.ResponseStream.MoveNext(deadline.Token);
        while (!ready.IsCompleted)
        {
            logger.LogInformation("{Marker} ready", marker);
            await Task.WhenAny(ready, Task.Delay(100, deadline.Token));
        }

        Assert.True(await ready);
        var padding = new string('x', 2000);
        for (var i = 0; i < written; i++)
        {
            logger.LogInformation("{Marker} fill {Index} {Padding}", marker, i, padding);
        }

        logger.LogInformation("{Marker} end", marker);
        long received = 0;
        long dropped = 0;
        var lastIndex = -1;
        while (await logs.ResponseStream.MoveNext(deadline.Token))
        {
            var entry = logs.ResponseStream.Current;
            dropped += entry.DroppedBefore;
            if (entry.Message.EndsWith(" end", StringComparison.Ordinal))
            {
                break;
            }

            if (entry.Attributes.TryGetValue("Index", out var index))
            {
                var at = int.Parse(index, System.Globalization.CultureInfo.InvariantCulture);
                Assert.True(at > lastIndex, "entries arrive in order");
                Assert.True(entry.DroppedBefore == 0 || at - lastIndex - 1 == entry.DroppedBefore, "dropped_before counts the gap");
                lastIndex = at;
                received++;
            }
        }

        Assert.True(dropped > 0, "a reader 20,000 entries behind must have lost some");
        Assert.Equal(written, received + dropped);
    }

    [Fact]
    public async Task Two_operators_chat_in_their_room_which_UserChat_cannot_reach()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        using var alice = Monitoring.Chat(cancellationToken: deadline.Token);
        var aliceInbox = new Inbox<MonitoringChat>(alice.ResponseStream);
        await alice.RequestStream.WriteAsync(new MonitoringChat { Text = "alice here" });
        await aliceInbox.WaitForAsync(m => m.Text == "alice here");

        using var bob = Monitoring.Chat(cancellationToken: deadline.Token);
        var bobInbox = new Inbox<MonitoringChat>(bob.ResponseStream);
        await bob.RequestStream.WriteAsync(new MonitoringChat { Text = "bob here" });
        await bobInbox.WaitForAsync(m => m.Text == "bob here");
        await aliceInbox.WaitForAsync(m => m.Text == "bob here");

        await alice.RequestStream.WriteAsync(new MonitoringChat { Text = "hello bob", Sender = "someone else", Sequence = 99 });
        var heard = await bobInbox.WaitForAsync(m => m.Text == "hello bob");
        Assert.NotEqual("someone else", heard.Sender);
        Assert.NotEmpty(heard.Sender);
        Assert.NotNull(heard.SentAt);
        var bobHere = await bobInbox.WaitForAsync(m => m.Text == "bob here");
        Assert.True(heard.Sequence > bobHere.Sequence);

        await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var empty = Monitoring.Chat(cancellationToken: deadline.Token);
            await empty.RequestStream.WriteAsync(new MonitoringChat { Text = "" });
            await empty.ResponseStream.MoveNext(deadline.Token);
            await empty.ResponseStream.MoveNext(deadline.Token);
        });

        await Assertions.FailsWith(StatusCode.InvalidArgument, async () =>
        {
            using var user = Users.UserChat(cancellationToken: deadline.Token);
            await user.RequestStream.WriteAsync(new Tessera.Contracts.User.V1.ChatMessage
            {
                Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind.Join, Room = ReservedRooms.Operators, Sender = "mallory",
            });
            await user.ResponseStream.MoveNext(deadline.Token);
        });

        await alice.RequestStream.CompleteAsync();
        await bob.RequestStream.CompleteAsync();
    }
}
