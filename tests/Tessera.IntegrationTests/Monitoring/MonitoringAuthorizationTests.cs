using Grpc.Core;
using Tessera.Contracts.Monitoring.V1;
using Tessera.IntegrationTests.Security;

namespace Tessera.IntegrationTests.Monitoring;

/// <summary>monitoring.v1's rows of the authorization matrix: admins only.</summary>
public sealed class MonitoringAuthorizationTests(AuthServer auth) : IClassFixture<AuthServer>
{
    public static TheoryData<string, string, StatusCode> Matrix => new()
    {
        { "StreamMetrics", "anonymous", StatusCode.Unauthenticated }, { "StreamMetrics", "self", StatusCode.PermissionDenied },
        { "StreamMetrics", "other", StatusCode.PermissionDenied }, { "StreamMetrics", "admin", StatusCode.OK },
        { "StreamLogs", "anonymous", StatusCode.Unauthenticated }, { "StreamLogs", "self", StatusCode.PermissionDenied },
        { "StreamLogs", "other", StatusCode.PermissionDenied }, { "StreamLogs", "admin", StatusCode.OK },
        { "Chat", "anonymous", StatusCode.Unauthenticated }, { "Chat", "self", StatusCode.PermissionDenied },
        { "Chat", "other", StatusCode.PermissionDenied }, { "Chat", "admin", StatusCode.OK },
    };

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task Each_caller_gets_the_expected_status(string rpc, string caller, StatusCode expected)
    {
        var headers = AuthServer.Bearer(caller switch
        {
            "self" => auth.AliceTokens,
            "other" => auth.BobTokens,
            "admin" => auth.Admin,
            _ => null,
        });
        var client = new MonitoringService.MonitoringServiceClient(auth.Server.Channel);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var options = new CallOptions(headers, cancellationToken: deadline.Token);

        var actual = await Assertions.StatusOf(async () =>
        {
            switch (rpc)
            {
                case "StreamMetrics":
                    using (var stream = client.StreamMetrics(new StreamMetricsRequest { Interval = Google.Protobuf.WellKnownTypes.Duration.FromTimeSpan(TimeSpan.FromMilliseconds(100)) }, options))
                    {
                        Assert.True(await stream.ResponseStream.MoveNext(deadline.Token));
                    }

                    break;
                case "StreamLogs":
                    using (var stream = client.StreamLogs(new StreamLogsRequest { MinLevel = LogLevel.Trace, Backlog = 10 }, options))
                    {
                        Assert.True(await stream.ResponseStream.MoveNext(deadline.Token));
                    }

                    break;
                default:
                    using (var chat = client.Chat(options))
                    {
                        await chat.RequestStream.WriteAsync(new ChatMessage { Text = "hello operators" });
                        Assert.True(await chat.ResponseStream.MoveNext(deadline.Token));
                        await chat.RequestStream.CompleteAsync();
                    }

                    break;
            }
        });

        Assert.True(expected == actual, $"{rpc} as {caller}: expected {expected}, got {actual}");
    }
}
