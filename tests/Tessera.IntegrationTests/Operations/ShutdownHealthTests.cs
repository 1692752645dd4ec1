using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Grpc.Health.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Operations;

public sealed class ShutdownHealthTests
{
    [Fact]
    public async Task When_the_server_starts_stopping_health_turns_unhealthy_and_in_flight_calls_complete()
    {
        await using var server = new TesseraServer();
        await server.InitializeAsync();
        var health = new Health.HealthClient(server.Channel);
        using var watch = health.Watch(new HealthCheckRequest { Service = "user.v1.UserService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await watch.ResponseStream.NextAsync()).Status);
        var lifetime = (IHostApplicationLifetime)server.Services.GetService(typeof(IHostApplicationLifetime))!;

        // A slow unary call (a 128-character password costs a full PBKDF2 run) is in flight when stopping begins.
        var inFlight = server.Users.CreateUserAsync(new CreateUserRequest { Username = "inflight", Email = "inflight@example.com", Password = new string('p', 128) }).ResponseAsync;
        // Checked in-process: once stopping has begun, the client's connection has been sent GOAWAY, and a new
        // connection is refused, so a balancer sees either NOT_SERVING or no server, never SERVING.
        var checks = (HealthCheckService)server.Services.GetService(typeof(HealthCheckService))!;
        var checkWhileStopping = new TaskCompletionSource<HealthStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        lifetime.ApplicationStopping.Register(() => _ = Task.Run(async () =>
            checkWhileStopping.TrySetResult((await checks.CheckHealthAsync(CancellationToken.None)).Status)));
        var metrics = (Tessera.Server.Observability.GrpcMetrics)server.Services.GetService(typeof(Tessera.Server.Observability.GrpcMetrics))!;
        var reached = await Observability.Poll.UntilAsync(
            () => Task.FromResult(metrics.InFlight.WithLabels("/user.v1.UserService/CreateUser").Value),
            value => value > 0,
            TimeSpan.FromSeconds(10));
        Assert.True(reached > 0, "the slow call never reached the server");

        var stopping = server.StopAsync();
        var created = await inFlight.WaitAsync(TimeSpan.FromSeconds(15));
        await stopping.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal("inflight", created.User.Username);
        Assert.Equal(HealthStatus.Unhealthy, await checkWhileStopping.Task.WaitAsync(TimeSpan.FromSeconds(15)));
    }
}
