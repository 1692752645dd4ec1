using System.Net;
using System.Text.Json;

namespace Tessera.IntegrationTests.Rest;

/// <summary>Browser chat (a server stream and a POST), the monitoring streams and the bench service over REST.</summary>
public sealed class ChatMonitoringBenchRoutesTests(RestServer fixture) : RestTests(fixture)
{
    [Fact]
    public async Task A_subscriber_sees_its_join_then_a_message_posted_to_the_room()
    {
        var room = RestServer.Unique("room-");
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var subscription = await JsonLines.OpenAsync(Rest, $"/v1/chat/rooms/{room}:subscribe", Fixture.User, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, subscription.Response.StatusCode);
        var join = (await subscription.NextAsync(deadline.Token))!.Value;
        Assert.Equal(("KIND_JOIN", room), (join.String("kind"), join.String("room")));

        var posted = (await Rest.OkAsync(HttpMethod.Post, $"/v1/chat/rooms/{room}/messages", Admin, Json.Of(new { text = "hello, room" }))).GetProperty("message");
        Assert.Equal(("KIND_TEXT", "admin", "hello, room"), (posted.String("kind"), posted.String("sender"), posted.String("text")));
        var seen = (await subscription.NextAsync(deadline.Token))!.Value;
        Assert.Equal(("KIND_TEXT", "admin", "hello, room", room), (seen.String("kind"), seen.String("sender"), seen.String("text"), seen.String("room")));
        Assert.Equal(JsonValueKind.String, seen.GetProperty("sequence").ValueKind);
    }

    [Fact]
    public async Task StreamMetrics_sends_a_first_sample()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var metrics = await JsonLines.OpenAsync(Rest, "/v1/monitoring/metrics:stream?interval=0.2s", Admin, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, metrics.Response.StatusCode);
        var first = (await metrics.NextAsync(deadline.Token))!.Value;
        Assert.False(string.IsNullOrEmpty(first.String("serviceName")));
        Assert.Equal(JsonValueKind.Object, first.GetProperty("metrics").ValueKind);
        Assert.True(first.TryGetProperty("timestamp", out _));
    }

    [Fact]
    public async Task StreamLogs_sends_the_logs_of_calls()
    {
        // A call, so that the backlog holds at least its log line.
        await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{Fixture.UserId}", Admin);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var logs = await JsonLines.OpenAsync(Rest, "/v1/monitoring/logs:stream?backlog=50", Admin, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, logs.Response.StatusCode);
        var first = (await logs.NextAsync(deadline.Token))!.Value;
        Assert.StartsWith("LOG_LEVEL_", first.String("level"), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(first.String("category")));
        Assert.False(string.IsNullOrEmpty(first.String("message")));
    }

    [Fact]
    public async Task Monitoring_is_for_admins()
    {
        using var refused = await Rest.GetAsync("/v1/monitoring/logs:stream", Fixture.User);
        await Json.ErrorAsync(refused, HttpStatusCode.Forbidden, Grpc.Core.StatusCode.PermissionDenied);
    }

    [Fact]
    public async Task The_bench_routes_answer_a_signed_in_user()
    {
        var noop = await Rest.OkAsync(HttpMethod.Post, "/v1/bench:noop", Fixture.User, Json.Of(new { userId = "9007199254740993" }));
        // Above 2^53: only a string keeps it exact in JavaScript.
        Assert.Equal("9007199254740993", noop.String("userId"));

        var rate = await Rest.OkAsync(HttpMethod.Post, "/v1/bench:measurePasswordHashRate", Fixture.User, Json.Of(new { duration = "0.1s" }));
        Assert.True(rate.GetProperty("hashesPerSecond").GetDouble() > 0);
        Assert.True(long.Parse(rate.String("hashes"), System.Globalization.CultureInfo.InvariantCulture) > 0);

        using var anonymous = await Rest.PostAsync("/v1/bench:noop", "{}");
        await Json.ErrorAsync(anonymous, HttpStatusCode.Unauthorized, Grpc.Core.StatusCode.Unauthenticated);
    }
}
