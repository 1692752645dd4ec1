using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Microsoft.Data.Sqlite;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// SQLite's disk faults on the real server process, on a tmpfs of its own: a disk that fills up under writes, and a
/// data directory on a file system that is read-only at start. The server must refuse what it cannot do with a clear
/// status, go on serving reads, tell its health, come back by itself when the disk does, and lose nothing.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class DiskFaultTests(ITestOutputHelper output)
{
    private const string UserService = "user.v1.UserService";

    [SkippableFact]
    public async Task A_full_disk_refuses_writes_clearly_keeps_reads_reports_NOT_SERVING_and_recovers_when_space_is_freed()
    {
        await using var disk = await MountAsync(24);
        var dataDir = Path.Combine(disk.Path, "data");
        string[] args = ["--data-dir", dataDir, "--auth", "none", "--rate-limit", "0"];
        var address = Loopback.FreeHttpUrl();
        await using var server = ServerProcess.Start(["--urls", address, .. args]);
        await server.WaitUntilServingAsync(address);
        using var channel = GrpcChannel.ForAddress(address);
        var users = new UserService.UserServiceClient(channel);
        var health = new Health.HealthClient(channel);

        var acknowledged = new Dictionary<long, string>();
        for (var i = 0; i < 200; i++)
        {
            var user = (await users.CreateUserAsync(NewUser($"before-{i}"))).User;
            acknowledged[user.Id] = user.Username;
        }

        Assert.Equal(Serving, await StatusAsync(health));
        var filled = disk.Fill("filler");
        output.WriteLine($"filled the disk with {filled / 1024:N0} KiB");

        // The write-ahead log may still have room for a few writes; then every write is refused.
        var refusals = new List<RpcException>();
        var fittedAfterFull = 0;
        for (var i = 0; i < 20_000 && refusals.Count < 50; i++)
        {
            try
            {
                var user = (await users.CreateUserAsync(NewUser($"full-{i}"))).User;
                Assert.Empty(refusals);
                acknowledged[user.Id] = user.Username;
                fittedAfterFull++;
            }
            catch (RpcException e)
            {
                refusals.Add(e);
            }
        }

        output.WriteLine($"{fittedAfterFull} creates still fitted; then {refusals.Count} refused: {refusals[0].StatusCode} \"{refusals[0].Status.Detail}\"");
        Assert.Equal(50, refusals.Count);
        Assert.All(refusals, refused =>
        {
            Assert.Equal(StatusCode.ResourceExhausted, refused.StatusCode);
            Assert.Contains("disk is full", refused.Status.Detail, StringComparison.Ordinal);
        });

        // Reads go on, and show exactly what was acknowledged; health tells a balancer to send its writes elsewhere.
        Assert.Equal(acknowledged, await ListAsync(users));
        Assert.Equal(NotServing, await StatusAsync(health));

        File.Delete(Path.Combine(disk.Path, "filler"));
        Assert.Equal(Serving, await StatusAsync(health));
        var after = (await users.CreateUserAsync(NewUser("after"))).User;
        acknowledged[after.Id] = after.Username;

        var (log, errors) = await server.StopAsync();
        output.WriteLine(log);
        Assert.Equal(1, Occurrences(log, "The store cannot write: its disk is full"));
        Assert.Equal(1, Occurrences(log, "The store writes again after"));
        Assert.Equal("ok", IntegrityCheck(Path.Combine(dataDir, "tessera.db")));

        var again = Loopback.FreeHttpUrl();
        await using var restarted = ServerProcess.Start(["--urls", again, .. args]);
        await restarted.WaitUntilServingAsync(again);
        using var againChannel = GrpcChannel.ForAddress(again);
        Assert.Equal(acknowledged, await ListAsync(new UserService.UserServiceClient(againChannel)));
        output.WriteLine($"{acknowledged.Count} acknowledged users intact after the restart; stderr: {errors}");
    }

    [SkippableFact]
    public async Task A_data_directory_on_a_read_only_file_system_is_refused_at_start_with_its_reason_and_left_intact()
    {
        await using var disk = await MountAsync(16);
        var dataDir = Path.Combine(disk.Path, "data");
        string[] args = ["--data-dir", dataDir, "--auth", "none"];
        Dictionary<long, string> created = [];
        var address = Loopback.FreeHttpUrl();
        await using (var server = ServerProcess.Start(["--urls", address, .. args]))
        {
            await server.WaitUntilServingAsync(address);
            using var channel = GrpcChannel.ForAddress(address);
            var users = new UserService.UserServiceClient(channel);
            for (var i = 0; i < 20; i++)
            {
                var user = (await users.CreateUserAsync(NewUser($"kept-{i}"))).User;
                created[user.Id] = user.Username;
            }

            await server.StopAsync();
        }

        await disk.RemountAsync(readOnly: true);
        await using (var refused = ServerProcess.Start(["--urls", Loopback.FreeHttpUrl(), .. args]))
        {
            var (code, _, errors) = await refused.ExitAsync();
            output.WriteLine(errors);
            Assert.Equal(1, code);
            Assert.Contains($"cannot use the data directory {dataDir}: Read-only file system", errors, StringComparison.Ordinal);
        }

        await disk.RemountAsync(readOnly: false);
        var again = Loopback.FreeHttpUrl();
        await using var restarted = ServerProcess.Start(["--urls", again, .. args]);
        await restarted.WaitUntilServingAsync(again);
        using var againChannel = GrpcChannel.ForAddress(again);
        Assert.Equal(created, await ListAsync(new UserService.UserServiceClient(againChannel)));
    }

    private const HealthCheckResponse.Types.ServingStatus Serving = HealthCheckResponse.Types.ServingStatus.Serving;
    private const HealthCheckResponse.Types.ServingStatus NotServing = HealthCheckResponse.Types.ServingStatus.NotServing;

    private static async Task<HealthCheckResponse.Types.ServingStatus> StatusAsync(Health.HealthClient health) =>
        (await health.CheckAsync(new HealthCheckRequest { Service = UserService })).Status;

    private static int Occurrences(string text, string part) => text.Split(part).Length - 1;

    private static CreateUserRequest NewUser(string username) =>
        new() { Username = username, Email = $"{username}@example.com", FullName = $"{username} {new string('x', 80)}" };

    private static async Task<Dictionary<long, string>> ListAsync(UserService.UserServiceClient users)
    {
        var listed = new Dictionary<long, string>();
        using var call = users.ListUsers(new ListUsersRequest());
        await foreach (var user in call.ResponseStream.ReadAllAsync())
        {
            listed[user.Id] = user.Username;
        }

        return listed;
    }

    private static string IntegrityCheck(string database)
    {
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        return (string)command.ExecuteScalar()!;
    }

    private static async Task<Tmpfs> MountAsync(int megabytes)
    {
        var (disk, why) = await Tmpfs.TryMountAsync(megabytes);
        if (disk is null)
        {
            Skip.If(Environment.GetEnvironmentVariable("CI") != "true", why);
            Assert.Fail($"{why} (CI=true: a missing peer is a failure)");
        }

        return disk;
    }
}
