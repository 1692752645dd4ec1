using System.Net;
using Google.Rpc;
using Grpc.Core;
using Grpc.Net.Client;
using Grpc.Net.Client.Web;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Rest;

/// <summary>gRPC-Web over HTTP/1.1 on the web port, as a browser's client calls it: binary and text (base64) framing.</summary>
public sealed class GrpcWebTests(RestServer fixture) : RestTests(fixture)
{
    public static TheoryData<GrpcWebMode> Modes => [GrpcWebMode.GrpcWeb, GrpcWebMode.GrpcWebText];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_unary_call_with_a_token(GrpcWebMode mode)
    {
        using var channel = Channel(mode);
        var users = new UserService.UserServiceClient(channel);

        var user = await users.GetUserAsync(new GetUserRequest { UserId = Fixture.UserId }, Bearer(Fixture.User));

        Assert.Equal(Fixture.UserId, user.Id);
        Assert.Equal("v1", user.Etag[..2]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task A_server_stream(GrpcWebMode mode)
    {
        var prefix = RestServer.Unique("g");
        var names = new[] { prefix + "a", prefix + "b", prefix + "c" };
        foreach (var name in names)
        {
            await Rest.OkAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username = name, email = $"{name}@example.com" }));
        }

        using var channel = Channel(mode);
        var users = new UserService.UserServiceClient(channel);
        using var call = users.ListUsers(new ListUsersRequest { Filter = $"username:\"{prefix}*\"" }, Bearer(Admin), deadline: DateTime.UtcNow.AddSeconds(30));
        var seen = new List<string>();
        await foreach (var user in call.ResponseStream.ReadAllAsync())
        {
            seen.Add(user.Username);
        }

        Assert.Equal(names, seen);
        Assert.Equal(StatusCode.OK, call.GetStatus().StatusCode);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task An_error_carries_its_details(GrpcWebMode mode)
    {
        using var channel = Channel(mode);
        var users = new UserService.UserServiceClient(channel);

        var error = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = 987654321 }, Bearer(Admin)).ResponseAsync);

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        var info = error.GetRpcStatus()?.GetDetail<ErrorInfo>();
        Assert.Equal("USER_NOT_FOUND", info?.Reason);
        Assert.Equal("987654321", info?.Metadata["user_id"]);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task Without_a_token_or_as_another_user_the_call_is_refused(GrpcWebMode mode)
    {
        using var channel = Channel(mode);
        var users = new UserService.UserServiceClient(channel);

        var anonymous = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = Fixture.UserId }).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, anonymous.StatusCode);
        Assert.Equal("TOKEN_MISSING", anonymous.GetRpcStatus()?.GetDetail<ErrorInfo>()?.Reason);
        var other = await Assert.ThrowsAsync<RpcException>(() => users.GetUserAsync(new GetUserRequest { UserId = 1 }, Bearer(Fixture.User)).ResponseAsync);
        Assert.Equal(StatusCode.PermissionDenied, other.StatusCode);
    }

    private GrpcChannel Channel(GrpcWebMode mode) => GrpcChannel.ForAddress(Fixture.Server.WebAddress!, new GrpcChannelOptions
    {
        HttpHandler = new GrpcWebHandler(mode, new HttpClientHandler()),
        HttpVersion = HttpVersion.Version11,
        HttpVersionPolicy = HttpVersionPolicy.RequestVersionExact,
    });

    private static Metadata Bearer(string token) => new() { { "authorization", $"Bearer {token}" } };
}
