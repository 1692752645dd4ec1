using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Tessera.Server.Observability;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.IntegrationTests.Observability;

/// <summary>/metrics on a real server: every call kind moves the counters by exactly the calls made.</summary>
public sealed class MetricsTests : IDisposable
{
    private const string Users = "/user.v1.UserService/";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Counters_move_by_exactly_the_calls_made_of_every_kind()
    {
        await using var server = await StartAsync("--auth", "none");
        var users = server.Users;
        var prefix = Unique("m");
        const int created = 3, found = 2, missing = 2, bulk = 4;

        var ids = new List<long>();
        for (var i = 0; i < created; i++)
        {
            ids.Add((await users.CreateUserAsync(new CreateUserRequest { Username = $"{prefix}{i}", Email = $"{prefix}{i}@example.com" })).User.Id);
        }

        foreach (var id in ids.Take(found))
        {
            await users.GetUserAsync(new GetUserRequest { UserId = id });
        }

        for (var i = 0; i < missing; i++)
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = 1_000_000 + i }).ResponseAsync);
            Assert.Equal(StatusCode.NotFound, e.StatusCode);
        }

        using (var list = users.ListUsers(new ListUsersRequest { Filter = $"username:\"{prefix}*\"" }))
        {
            Assert.Equal(created, (await list.ResponseStream.ReadAllAsync().ToListAsync()).Count);
        }

        using (var call = users.BulkCreateUsers())
        {
            for (var i = 0; i < bulk; i++)
            {
                await call.RequestStream.WriteAsync(new CreateUserRequest { Username = $"{prefix}b{i}", Email = $"{prefix}b{i}@example.com" });
            }

            await call.RequestStream.CompleteAsync();
            Assert.Equal(bulk, (await call.ResponseAsync).CreatedCount);
        }

        var chatReceived = 0;
        using (var chat = users.UserChat())
        {
            var room = Unique("room");
            await chat.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Join, Room = room, Sender = "alice" });
            await chat.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Text, Room = room, Text = "hello" });
            while ((await chat.ResponseStream.NextAsync()).Kind != Kind.Text)
            {
                chatReceived++;
            }

            chatReceived++;
            await chat.RequestStream.CompleteAsync();
            chatReceived += (await chat.ResponseStream.ReadAllAsync().ToListAsync()).Count;
        }

        // Not on the gRPC port (and a request that is not gRPC is not counted either).
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri(new Uri(server.Address), "/metrics")) { Version = HttpVersion.Version20, VersionPolicy = HttpVersionPolicy.RequestVersionExact })
        using (var response = await http.SendAsync(request))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.DoesNotContain("grpc_requests_total", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var calls = new Dictionary<string, double>
        {
            [Call("CreateUser", "OK")] = created,
            [Call("GetUser", "OK")] = found,
            [Call("GetUser", "NOT_FOUND")] = missing,
            [Call("ListUsers", "OK")] = 1,
            [Call("BulkCreateUsers", "OK")] = 1,
            [Call("UserChat", "OK")] = 1,
        };
        var metrics = await ScrapeWhenSettledAsync(server, calls.Values.Sum());
        AssertSeries(calls, metrics, "grpc_requests_total");
        AssertSeries(
            new() { [Method("CreateUser")] = created, [Method("GetUser")] = found + missing, [Method("ListUsers")] = 1, [Method("BulkCreateUsers")] = 1, [Method("UserChat")] = 1 },
            metrics,
            "grpc_request_duration_seconds_count");
        AssertSeries(
            new() { [Method("CreateUser")] = 0, [Method("GetUser")] = 0, [Method("ListUsers")] = 0, [Method("BulkCreateUsers")] = 0, [Method("UserChat")] = 0 },
            metrics,
            "grpc_requests_in_flight");
        Assert.True(chatReceived >= 2, $"the chat delivered {chatReceived} messages; expected at least the join and the text");
        AssertSeries(new() { [Method("BulkCreateUsers")] = bulk, [Method("UserChat")] = 2 }, metrics, "grpc_stream_messages_received_total");
        AssertSeries(new() { [Method("ListUsers")] = created, [Method("UserChat")] = chatReceived }, metrics, "grpc_stream_messages_sent_total");
        Assert.Contains(metrics.Samples, s => s.Name == "grpc_request_duration_seconds_bucket" && s.Labels["le"] == "+Inf" && s.Labels["method"] == Users + "GetUser" && s.Value == found + missing);
        Assert.Empty(server.Errors);
    }

    [Fact]
    public async Task Calls_refused_before_the_grpc_pipeline_are_counted_with_their_status_and_each_server_counts_its_own()
    {
        await using var other = await StartAsync("--auth", "none");
        await using var server = await StartAsync();
        var users = server.Users;
        var auth = new AuthService.AuthServiceClient(server.Channel);
        var name = Unique("m");
        var password = $"password-{name}";
        var user = (await users.CreateUserAsync(new CreateUserRequest { Username = name, Email = $"{name}@example.com", Password = password })).User;
        var tokens = (await auth.LoginAsync(new LoginRequest { Username = name, Password = password })).Tokens;
        var bearer = new Metadata { { "authorization", $"Bearer {tokens.AccessToken}" } };
        await users.GetUserAsync(new GetUserRequest { UserId = user.Id }, bearer);

        var noToken = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = user.Id }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, noToken.StatusCode);
        using (var watch = users.WatchUserChanges(new WatchUserRequest()))
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.Unauthenticated, e.StatusCode);
        }

        using (var bulk = users.BulkCreateUsers(bearer))
        {
            var e = await Assert.ThrowsAsync<RpcException>(() => bulk.ResponseAsync);
            Assert.Equal(StatusCode.PermissionDenied, e.StatusCode);
        }

        var marshaller = Marshallers.Create<Empty>(message => message.ToByteArray(), Empty.Parser.ParseFrom);
        var nowhere = new Method<Empty, Empty>(MethodType.Unary, "user.v1.UserService", "NoSuchMethod", marshaller, marshaller);
        var unimplemented = await Assert.ThrowsAsync<RpcException>(() => server.Channel.CreateCallInvoker().AsyncUnaryCall(nowhere, null, new CallOptions(), new Empty()).ResponseAsync);
        Assert.Equal(StatusCode.Unimplemented, unimplemented.StatusCode);

        var calls = new Dictionary<string, double>
        {
            [Call("CreateUser", "OK")] = 1,
            ["method=/auth.v1.AuthService/Login,status=OK"] = 1,
            [Call("GetUser", "OK")] = 1,
            [Call("GetUser", "UNAUTHENTICATED")] = 1,
            [Call("WatchUserChanges", "UNAUTHENTICATED")] = 1,
            [Call("BulkCreateUsers", "PERMISSION_DENIED")] = 1,
            [$"method={GrpcMetrics.UnknownMethod},status=UNIMPLEMENTED"] = 1,
        };
        var metrics = await ScrapeWhenSettledAsync(server, calls.Values.Sum());
        AssertSeries(calls, metrics, "grpc_requests_total");
        Assert.All(metrics.Series("grpc_requests_in_flight"), series => Assert.Equal(0, series.Value));
        Assert.Empty(metrics.Series("grpc_stream_messages_received_total"));
        Assert.Empty(metrics.Series("grpc_stream_messages_sent_total"));

        var untouched = await MetricsText.ScrapeAsync(http, other.MetricsAddress!);
        Assert.Empty(untouched.Series("grpc_requests_total"));
        Assert.Empty(server.Errors);
        Assert.Empty(other.Errors);
    }

    [Fact]
    public async Task A_call_the_client_cancels_is_counted_and_logged_as_CANCELLED()
    {
        await using var server = TesseraServer.With(["--auth", "none", "--metrics-urls", Loopback.FreeHttpUrl()]);
        var logs = server.CaptureLogs(Tessera.Server.Observability.CallLog.Category);
        await server.InitializeAsync();
        await server.Users.CreateUserAsync(new CreateUserRequest { Username = Unique("m"), Email = $"{Unique("m")}@example.com" });
        using (var cancellation = new CancellationTokenSource())
        using (var watch = server.Users.WatchUserChanges(new WatchUserRequest(), cancellationToken: cancellation.Token))
        {
            await watch.ResponseStream.NextAsync();
            await cancellation.CancelAsync();
            var e = await Assert.ThrowsAsync<RpcException>(() => watch.ResponseStream.MoveNext());
            Assert.Equal(StatusCode.Cancelled, e.StatusCode);
        }

        var calls = new Dictionary<string, double> { [Call("CreateUser", "OK")] = 1, [Call("WatchUserChanges", "CANCELLED")] = 1 };
        var metrics = await ScrapeWhenSettledAsync(server, calls.Values.Sum());
        AssertSeries(calls, metrics, "grpc_requests_total");
        AssertSeries(new() { [Method("CreateUser")] = 0, [Method("WatchUserChanges")] = 0 }, metrics, "grpc_requests_in_flight");
        AssertSeries(new() { [Method("WatchUserChanges")] = 1 }, metrics, "grpc_stream_messages_sent_total");

        var entries = await Poll.UntilAsync(
            () => Task.FromResult(logs.Entries.Where(e => Equals(e.Properties.GetValueOrDefault("GrpcMethod"), Users + "WatchUserChanges")).ToList()),
            found => found.Count > 0,
            Deadline);
        var entry = Assert.Single(entries);
        Assert.Equal("CANCELLED", entry.Properties["GrpcStatus"]);
        Assert.Empty(server.Errors);
    }

    public void Dispose() => http.Dispose();

    private static string Unique(string prefix) => $"{prefix}{Guid.NewGuid().ToString("N")[..10]}";

    private static string Method(string name) => $"method={Users}{name}";

    private static string Call(string name, string status) => $"{Method(name)},status={status}";

    private static void AssertSeries(Dictionary<string, double> expected, MetricsText metrics, string name)
    {
        static string Render(IEnumerable<KeyValuePair<string, double>> series) =>
            string.Join("\n", series.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key} {s.Value}"));
        Assert.True(Render(expected) == Render(metrics.Series(name)), $"{name}:\nexpected\n{Render(expected)}\nscraped\n{Render(metrics.Series(name))}");
    }

    private static async Task<TesseraServer> StartAsync(params string[] args)
    {
        var server = TesseraServer.With([.. args, "--metrics-urls", Loopback.FreeHttpUrl()]);
        try
        {
            await server.InitializeAsync();
            Assert.NotNull(server.MetricsAddress);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Scrapes until the calls made are all counted and none is in flight (or the deadline passes).</summary>
    private async Task<MetricsText> ScrapeWhenSettledAsync(TesseraServer server, double calls) =>
        await Poll.UntilAsync(
            () => MetricsText.ScrapeAsync(http, server.MetricsAddress!),
            metrics => metrics.Series("grpc_requests_total").Values.Sum() >= calls && metrics.Series("grpc_requests_in_flight").Values.All(v => v == 0),
            Deadline);
}
