using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Auth.V1;
using Tessera.Contracts.User.V1;
using Tessera.Server.Observability;

namespace Tessera.IntegrationTests.Observability;

/// <summary>
/// One structured log line per call that is not refused (<c>--call-log all</c>; by default only for calls that did not
/// end OK), refusals summarised per caller, and never a password or a token in any log line.
/// </summary>
public sealed class CallLoggingTests
{
    private static readonly string Category = Tessera.Server.Observability.CallLog.Category;

    [Fact]
    public async Task Each_call_logs_one_structured_line_refusals_are_summarised_and_no_log_line_holds_a_password_or_a_token()
    {
        await using var server = TesseraServer.With(["--call-log", "all"]);
        var logs = server.CaptureLogs();
        await server.InitializeAsync();
        var users = server.Users;
        var auth = new AuthService.AuthServiceClient(server.Channel);
        var name = $"log{Guid.NewGuid().ToString("N")[..10]}";
        var password = $"Sesame-{Guid.NewGuid():N}";

        var user = (await users.CreateUserAsync(new CreateUserRequest { Username = name, Email = $"{name}@example.com", Password = password })).User;
        var tokens = (await auth.LoginAsync(new LoginRequest { Username = name, Password = password })).Tokens;
        var bearer = new Metadata { { "authorization", $"Bearer {tokens.AccessToken}" } };
        await users.GetUserAsync(new GetUserRequest { UserId = user.Id }, bearer);
        var denied = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = user.Id + 1_000_000 }, bearer).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, denied.StatusCode);
        var anonymous = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = user.Id }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        var forged = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(
            new GetUserRequest { UserId = user.Id },
            new Metadata { { "authorization", $"Bearer {tokens.AccessToken}x" } }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, forged.StatusCode);
        var refreshed = (await auth.RefreshAsync(new RefreshRequest { RefreshToken = tokens.RefreshToken })).Tokens;
        await auth.LogoutAsync(new LogoutRequest { RefreshToken = refreshed.RefreshToken });
        var badLogin = await Assert.ThrowsAsync<RpcException>(() => auth.LoginAsync(new LoginRequest { Username = name, Password = password + "?" }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, badLogin.StatusCode);
        const int callsMade = 5;

        var calls = await Poll.UntilAsync(
            () => Task.FromResult(logs.Entries.Where(e => e.Category == Category).ToList()),
            found => found.Count >= callsMade,
            TimeSpan.FromSeconds(10));
        Assert.True(calls.Count == callsMade, $"expected {callsMade} call lines:\n{string.Join("\n", calls)}");
        Assert.All(calls, entry =>
        {
            Assert.Equal(LogLevel.Information, entry.Level);
            Assert.StartsWith("ipv4:127.0.0.1:", (string)entry.Properties["Peer"]!, StringComparison.Ordinal);
            Assert.True(entry.Properties["DurationMs"] is double ms && ms >= 0, entry.ToString());
        });
        string Line(CapturedLog entry) =>
            $"{entry.Properties["GrpcMethod"]} {entry.Properties["User"]} {entry.Properties["GrpcStatus"]}";
        Assert.Equal(
            new[]
            {
                "/user.v1.UserService/CreateUser anonymous OK",
                "/auth.v1.AuthService/Login anonymous OK",
                $"/user.v1.UserService/GetUser {name} OK",
                "/auth.v1.AuthService/Refresh anonymous OK",
                "/auth.v1.AuthService/Logout anonymous OK",
            },
            calls.Select(Line));
        var ok = calls[2];
        Assert.Contains($"/user.v1.UserService/GetUser from ipv4:127.0.0.1:", ok.Message, StringComparison.Ordinal);
        Assert.Contains($"as {name}: OK in ", ok.Message, StringComparison.Ordinal);

        var secrets = new Dictionary<string, string>
        {
            ["the password"] = password,
            ["the access token"] = tokens.AccessToken,
            ["the access token's signature"] = tokens.AccessToken.Split('.')[2],
            ["the refresh token"] = tokens.RefreshToken,
            ["the refreshed access token"] = refreshed.AccessToken,
            ["the refreshed refresh token"] = refreshed.RefreshToken,
            ["an authorization header"] = "Bearer ",
        };
        // The four refusals (one PERMISSION_DENIED for the user, three UNAUTHENTICATED from the address) are summarised,
        // at the latest when the server stops.
        await server.StopAsync();
        var summaries = logs.Entries.Where(e => e.EventName == "GrpcCallsRefused").Select(e => e.Message).ToList();
        Assert.Equal(2, summaries.Count);
        Assert.Contains(summaries, line => line.StartsWith($"refused 1 calls from user {user.Id} in the last ", StringComparison.Ordinal) && line.EndsWith("(PERMISSION_DENIED 1)", StringComparison.Ordinal));
        Assert.Contains(summaries, line => line.StartsWith("refused 3 calls from address 127.0.0.1 in the last ", StringComparison.Ordinal) && line.EndsWith("(UNAUTHENTICATED 3)", StringComparison.Ordinal));

        var everything = logs.Entries;
        Assert.Contains(everything, e => e.Category != Category);
        foreach (var (what, secret) in secrets)
        {
            var leaks = everything.Where(e => e.AllText.Contains(secret, StringComparison.Ordinal)).ToList();
            Assert.True(leaks.Count == 0, $"{what} is in the log:\n{string.Join("\n", leaks)}");
        }

        Assert.Empty(server.Errors);
    }

    [Fact]
    public async Task By_default_only_calls_that_did_not_end_OK_get_a_line_and_none_turns_them_off()
    {
        var byDefault = await CallLinesAsync([]);
        var none = await CallLinesAsync(["--call-log", "none"]);

        Assert.Equal(["/user.v1.UserService/GetUser NOT_FOUND", "/user.v1.UserService/CreateUser INVALID_ARGUMENT"], byDefault);
        Assert.Empty(none);
    }

    /// <summary>Two successful calls and two that fail, on a server started with <paramref name="args"/>: the call lines, as "method status".</summary>
    private static async Task<List<string>> CallLinesAsync(string[] args)
    {
        await using var server = TesseraServer.With(["--auth", "none", .. args]);
        var logs = server.CaptureLogs(Category);
        await server.InitializeAsync();
        var name = $"log{Guid.NewGuid().ToString("N")[..10]}";
        var user = (await server.Users.CreateUserAsync(new CreateUserRequest { Username = name, Email = $"{name}@example.com" })).User;
        await server.Users.GetUserAsync(new GetUserRequest { UserId = user.Id });
        var missing = await Assert.ThrowsAsync<RpcException>(() => server.Users.GetUserAsync(new GetUserRequest { UserId = user.Id + 1_000_000 }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
        var invalid = await Assert.ThrowsAsync<RpcException>(() => server.Users.CreateUserAsync(new CreateUserRequest { Username = "", Email = "nobody" }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, invalid.StatusCode);

        // The lines are written as the calls end; the server stops (and flushes) before they are read.
        await server.StopAsync();
        return [.. logs.Entries.Where(e => e.EventName == "GrpcCall").Select(e => $"{e.Properties["GrpcMethod"]} {e.Properties["GrpcStatus"]}")];
    }
}
