using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Operations;

/// <summary>The real server process, stopped the way an orchestrator stops it: SIGTERM.</summary>
public sealed class SigtermTests
{
    [Fact]
    public async Task On_SIGTERM_streams_end_UNAVAILABLE_and_the_process_exits_cleanly_within_the_bound()
    {
        var port = Loopback.FreePort();
        var dataDir = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll"), "--urls", $"http://127.0.0.1:{port}", "--web-urls", "http://127.0.0.1:0", "--data-dir", dataDir, "--auth", "none", "--shutdown-seconds", "5" })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        try
        {
            using var channel = GrpcChannel.ForAddress($"http://127.0.0.1:{port}");
            var users = new UserService.UserServiceClient(channel);
            await WaitUntilServingAsync(users);
            await users.CreateUserAsync(new CreateUserRequest { Username = "sigterm", Email = "sigterm@example.com" });
            using var watch = users.WatchUserChanges(new WatchUserRequest());
            await watch.ResponseStream.NextAsync();
            var pending = watch.ResponseStream.MoveNext();

            var stopping = Stopwatch.StartNew();
            using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            var e = await Assert.ThrowsAsync<RpcException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
            Assert.Equal(StatusCode.Unavailable, e.StatusCode);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(15));
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {stopping.Elapsed}");
            Assert.True(process.ExitCode == 0, $"exit code {process.ExitCode}: {await errors}");
            Assert.DoesNotContain("fail:", await output, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    [Fact]
    public async Task A_watcher_that_stopped_reading_and_a_client_still_sending_do_not_hold_up_SIGTERM()
    {
        var port = Loopback.FreePort();
        var address = $"http://127.0.0.1:{port}";
        var dataDir = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        await using var server = ServerProcess.Start(["--urls", address, "--data-dir", dataDir, "--auth", "none", "--shutdown-seconds", "10"]);
        try
        {
            await server.WaitUntilServingAsync(address);
            using var channel = GrpcChannel.ForAddress(address);
            var users = new UserService.UserServiceClient(channel);
            using (var bulk = users.BulkCreateUsers())
            {
                for (var i = 0; i < 5000; i++)
                {
                    await bulk.RequestStream.WriteAsync(new CreateUserRequest { Username = $"stuck-{i}", Email = $"stuck-{i}@example.com" });
                }

                await bulk.RequestStream.CompleteAsync();
                Assert.Equal(5000, (await bulk).CreatedCount);
            }

            // A watcher replaying 5,000 changes that never reads one: the server's writes to it stop at HTTP/2 flow
            // control. And a bulk import that keeps sending until the server ends it.
            using var stuck = users.WatchUserChanges(new WatchUserRequest { StartRevision = 0 });
            using var sending = users.BulkCreateUsers();
            var sender = Task.Run(async () =>
            {
                for (var i = 0; ; i++)
                {
                    await sending.RequestStream.WriteAsync(new CreateUserRequest { Username = $"sending-{i}", Email = $"sending-{i}@example.com" });
                }
            });
            await Task.Delay(TimeSpan.FromSeconds(1));

            var stopping = Stopwatch.StartNew();
            var (output, errors) = await server.StopAsync();

            // Left to end by themselves, these two calls held the process for all of --shutdown-seconds (10 s).
            Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(7), $"stopping took {stopping.Elapsed}");
            Assert.True(server.ExitCode == 0, $"exit code {server.ExitCode}: {errors}");
            Assert.Contains("stopping: reset ", output, StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => sender.WaitAsync(TimeSpan.FromSeconds(10)));
        }
        finally
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task WaitUntilServingAsync(UserService.UserServiceClient users)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                await users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 }, cancellationToken: deadline.Token);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !deadline.IsCancellationRequested)
            {
                await Task.Delay(50, deadline.Token);
            }
        }
    }
}
