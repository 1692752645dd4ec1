using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.Monitoring.V1;
using Tessera.Contracts.User.V1;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// Clients that stop reading (a ListUsers stream, a watcher, a log tail) while 50,000 changes happen, on the real
/// server process: the server's memory and its SQLite write-ahead log stay bounded, a reading watcher is not slowed,
/// and the stuck ones carry on where they were once they read again.
/// </summary>
[Collection(ReliabilitySuite.Name)]
public sealed class StuckReaderTests(ITestOutputHelper output)
{
    private const int Seeded = 5_000;
    private const int Changes = 50_000;
    private const int Writers = 32;

    /// <summary>Far above what the log reaches while every reader keeps up (a few MiB), far below its size held open by a reader.</summary>
    private const long WalCeilingBytes = 32L * 1024 * 1024;

    private const long MemoryMarginKb = 256 * 1024;

    [Fact]
    public async Task Readers_that_stop_while_fifty_thousand_changes_happen_hold_no_transaction_slow_no_one_and_carry_on_after()
    {
        // Every call gets a log line, so the log tail has 50,000 entries it does not read.
        await using var server = await SignedInServer.StartAsync(["--call-log", "all", "--rate-limit", "0"]);
        var seeded = await SeedAsync(server);
        var before = server.Sample();

        // The stuck readers, on a connection of their own: each takes one message, then reads nothing.
        using var stuckChannel = GrpcChannel.ForAddress(server.Address);
        using var list = new UserService.UserServiceClient(stuckChannel).ListUsers(new ListUsersRequest(), server.Admin);
        var listed = new List<long> { (await list.ResponseStream.NextAsync()).Id };
        using var stuckWatch = new UserService.UserServiceClient(stuckChannel).WatchUserChanges(new WatchUserRequest { StartRevision = seeded }, server.Admin);
        using var logTail = new MonitoringService.MonitoringServiceClient(stuckChannel).StreamLogs(new StreamLogsRequest { Backlog = 1 }, server.Admin);
        await logTail.ResponseStream.NextAsync();

        // A watcher that reads, on another connection, timed against the writes.
        using var readingChannel = GrpcChannel.ForAddress(server.Address);
        using var reading = new UserService.UserServiceClient(readingChannel).WatchUserChanges(new WatchUserRequest { StartRevision = seeded }, server.Admin);
        var clock = Stopwatch.StartNew();
        var lastSeen = TimeSpan.Zero;
        var watched = Task.Run(async () =>
        {
            for (var revision = seeded + 1; revision <= seeded + Changes; revision++)
            {
                var change = await reading.ResponseStream.NextAsync(seconds: 60);
                Assert.Equal(revision, change.Revision);
                lastSeen = clock.Elapsed;
            }
        });

        await CreateAsync(server, "during", Changes);
        var written = clock.Elapsed;
        await watched;
        var during = server.Sample();
        var wal = new FileInfo(Path.Combine(server.DataDirectory, "tessera.db-wal")).Length;
        output.WriteLine($"{Changes:N0} creates in {written.TotalSeconds:0.0} s; the reading watcher had the last {Math.Max(0, (lastSeen - written).TotalMilliseconds):0} ms after the last answer; " +
            $"write-ahead log {wal / 1024 / 1024.0:0.0} MiB; before: {before}; with three readers stuck: {during}");
        Assert.True(lastSeen - written < TimeSpan.FromSeconds(10), $"the reading watcher had the last change {(lastSeen - written).TotalSeconds:0.0} s after the writes");
        Assert.True(wal < WalCeilingBytes, $"the write-ahead log grew to {wal:N0} bytes: a stuck reader holds a read transaction open");
        Assert.True(during.RssKb < before.RssKb + MemoryMarginKb, $"three stuck readers took the server from {before} to {during}");

        // Reading again, the list carries on in id order to its end (with the users made meanwhile), and the watcher
        // from where it stopped, every change once, in order.
        while (await list.ResponseStream.MoveNext(CancellationToken.None))
        {
            Assert.True(list.ResponseStream.Current.Id > listed[^1], $"user {list.ResponseStream.Current.Id} came after {listed[^1]}");
            listed.Add(list.ResponseStream.Current.Id);
        }

        Assert.InRange(listed.Count, Seeded + 1, Seeded + 1 + Changes);
        for (var revision = seeded + 1; revision <= seeded + Changes; revision++)
        {
            Assert.Equal(revision, (await stuckWatch.ResponseStream.NextAsync(seconds: 60)).Revision);
        }

        output.WriteLine($"after reading again: the list gave {listed.Count:N0} users, the stuck watcher all {Changes:N0} changes");
        Assert.True(server.Sample().Fds < before.Fds + 64);
    }

    /// <summary>The seeded users (one bulk import); returns the revision after them.</summary>
    private static async Task<long> SeedAsync(SignedInServer server)
    {
        using var bulk = server.Users.BulkCreateUsers(server.Admin);
        for (var i = 0; i < Seeded; i++)
        {
            await bulk.RequestStream.WriteAsync(new CreateUserRequest { Username = $"seed-{i}", Email = $"seed-{i}@example.com", FullName = $"Seeded user {i}" });
        }

        await bulk.RequestStream.CompleteAsync();
        var done = await bulk.ResponseAsync;
        Assert.Equal(Seeded, done.CreatedCount);
        return done.LastRevision;
    }

    /// <summary>Unary creates, <see cref="Writers"/> at a time: a call (and a log line) per change.</summary>
    private static Task CreateAsync(SignedInServer server, string prefix, int count) =>
        Concurrently.RunAsync(count, Writers, async i =>
            await server.Users.CreateUserAsync(new CreateUserRequest { Username = $"{prefix}-{i}", Email = $"{prefix}-{i}@example.com", FullName = $"User {i}" }, server.Admin));
}
