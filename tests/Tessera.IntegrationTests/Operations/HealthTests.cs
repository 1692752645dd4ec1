using Grpc.Core;
using Grpc.Health.V1;
using Microsoft.Data.Sqlite;

namespace Tessera.IntegrationTests.Operations;

public sealed class HealthTests
{
    [Fact]
    public async Task Each_service_and_the_server_report_SERVING_to_anonymous_callers_and_unknown_services_are_NOT_FOUND()
    {
        await using var server = TesseraServer.With([]);
        await server.InitializeAsync();
        var health = new Health.HealthClient(server.Channel);

        foreach (var service in new[] { "", "user.v1.UserService", "auth.v1.AuthService" })
        {
            var reply = await health.CheckAsync(new HealthCheckRequest { Service = service });
            Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, reply.Status);
        }

        var e = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, e.StatusCode);

        using var watch = health.Watch(new HealthCheckRequest { Service = "user.v1.UserService" });
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await watch.ResponseStream.NextAsync()).Status);
    }

    [Fact]
    public async Task The_user_service_is_NOT_SERVING_when_its_store_cannot_be_read()
    {
        await using var server = new TesseraServer();
        await server.InitializeAsync();
        var health = new Health.HealthClient(server.Channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = "user.v1.UserService" })).Status);

        // The disk goes away: the data directory is removed and no open connection is left to hide it.
        Directory.Delete(server.DataDirectory, recursive: true);
        SqliteConnection.ClearAllPools();

        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "user.v1.UserService" })).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.NotServing, (await health.CheckAsync(new HealthCheckRequest { Service = "" })).Status);
    }
}
