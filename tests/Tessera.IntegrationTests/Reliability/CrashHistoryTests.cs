using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;
using Tessera.IntegrationTests.Replicas;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// The server killed with SIGKILL at random moments of a recorded load (creates, updates and deletes), then
/// restarted on the same data, again and again; after every restart the recorded history is checked: every
/// acknowledged write is there with its acknowledged content, a write in flight at the kill is wholly there or wholly
/// absent, and at the end the change log replays (a watch from revision 0) with contiguous revisions into exactly the
/// users stored. The random schedule's seed is printed (and in every failure) so that a run can be replayed. Each
/// store engine has its own class (<see cref="SqliteCrashHistoryTests"/>, <see cref="PostgresCrashHistoryTests"/>).
/// </summary>
public abstract class CrashHistoryTests(ITestOutputHelper output)
{
    private const int KillPoints = 20;
    private const int Workers = 2;

    /// <summary>The server's store arguments; the same store for every restart of one test.</summary>
    private protected abstract Task<string[]> StoreAsync(string dataDir);

    /// <summary>
    /// Whether revisions run without gaps: on SQLite one writer numbers them at commit; on PostgreSQL a transaction
    /// that dies after drawing its revisions (a killed server mid-commit) leaves a gap, by design (see PostgresChangeLog).
    /// </summary>
    private protected abstract bool GaplessRevisions { get; }

    [SkippableFact]
    public async Task Every_acknowledged_write_survives_twenty_SIGKILLs_and_the_change_log_replays_into_the_stored_users()
    {
        var seed = Environment.GetEnvironmentVariable("TESSERA_CRASH_SEED") is { } given ? int.Parse(given, System.Globalization.CultureInfo.InvariantCulture) : System.Random.Shared.Next();
        output.WriteLine($"seed {seed} (TESSERA_CRASH_SEED={seed} replays this schedule)");
        var random = new Random(seed);
        var history = new History(seed, GaplessRevisions);
        var dataDir = Path.Combine(Path.GetTempPath(), "tessera-tests", Guid.NewGuid().ToString("N"));
        try
        {
            string[] store = [.. await StoreAsync(dataDir), "--auth", "none", "--rate-limit", "0"];
            for (var point = 0; point < KillPoints; point++)
            {
                var address = $"http://127.0.0.1:{Loopback.FreePort()}";
                await using var server = ServerProcess.Start(["--urls", address, .. store]);
                await server.WaitUntilServingAsync(address);
                using var channel = GrpcChannel.ForAddress(address);
                var users = new UserService.UserServiceClient(channel);
                await history.CheckAsync(users, $"after restart {point}");

                using var load = new CancellationTokenSource();
                var workers = Enumerable.Range(0, Workers).Select(worker => history.RunAsync(users, worker, new Random(random.Next()), load.Token)).ToArray();
                await Task.Delay(random.Next(150, 900));
                server.Kill();
                await load.CancelAsync();
                await Task.WhenAll(workers);
            }

            var last = $"http://127.0.0.1:{Loopback.FreePort()}";
            await using var final = ServerProcess.Start(["--urls", last, .. store]);
            await final.WaitUntilServingAsync(last);
            using var finalChannel = GrpcChannel.ForAddress(last);
            var finalUsers = new UserService.UserServiceClient(finalChannel);
            await history.CheckAsync(finalUsers, "after the last restart");
            var replayed = await history.CheckReplayAsync(finalUsers);
            output.WriteLine($"{KillPoints} kill points; {history.Acknowledged:N0} acknowledged writes checked, {history.InFlight} in flight at a kill; {replayed:N0} changes replayed");
            Assert.True(history.Acknowledged > KillPoints * 10, $"seed {seed}: only {history.Acknowledged} writes were acknowledged");
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

    /// <summary>
    /// What clients were told. Each worker writes only its own users, one call at a time, so each user's state is
    /// known exactly but for the one call in flight at a kill: that user is then one of two states until it is read.
    /// </summary>
    private sealed class History(int seed, bool gapless)
    {
        private readonly object gate = new();
        private readonly Dictionary<long, string?> known = [];
        private readonly Dictionary<string, string> createsInFlight = [];
        private readonly Dictionary<long, (string? Before, string? After)> changesInFlight = [];
        private readonly List<long>[] owned = [.. Enumerable.Range(0, Workers).Select(_ => new List<long>())];
        private int next;

        /// <summary>A call, once made, is never cancelled by the client: only the kill decides its outcome.</summary>
        private static CancellationToken Unstopped => CancellationToken.None;

        public long Acknowledged { get; private set; }

        public int InFlight { get; private set; }

        /// <summary>Creates, renames and deletes this worker's users until cancelled or the server dies.</summary>
        public async Task RunAsync(UserService.UserServiceClient users, int worker, Random random, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var mine = owned[worker];
                var roll = random.Next(10);
                try
                {
                    if (mine.Count == 0 || roll < 5)
                    {
                        var username = $"crash-{worker}-{Interlocked.Increment(ref next)}";
                        var fullName = $"created {random.Next()}";
                        Record(() => createsInFlight[username] = fullName);
                        var created = await users.CreateUserAsync(new CreateUserRequest { Username = username, Email = $"{username}@example.com", FullName = fullName }, cancellationToken: Unstopped);
                        Record(() =>
                        {
                            createsInFlight.Remove(username);
                            known[created.User.Id] = fullName;
                            mine.Add(created.User.Id);
                            Acknowledged++;
                        });
                    }
                    else
                    {
                        var id = mine[random.Next(mine.Count)];
                        var before = Read(id);
                        var after = roll < 8 ? $"renamed {random.Next()}" : null;
                        Record(() => changesInFlight[id] = (before, after));
                        if (after is null)
                        {
                            await users.DeleteUserAsync(new DeleteUserRequest { UserId = id }, cancellationToken: Unstopped);
                        }
                        else
                        {
                            await users.UpdateUserAsync(new UpdateUserRequest { UserId = id, User = new User { FullName = after }, UpdateMask = new FieldMask { Paths = { "full_name" } } }, cancellationToken: Unstopped);
                        }

                        Record(() =>
                        {
                            changesInFlight.Remove(id);
                            known[id] = after;
                            if (after is null)
                            {
                                mine.Remove(id);
                            }

                            Acknowledged++;
                        });
                    }
                }
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// Reads every user the history knows: acknowledged ones must hold what was acknowledged (or be gone, when the
        /// delete was); a write in flight at the kill must be wholly applied or not at all. Then the history knows them.
        /// </summary>
        public async Task CheckAsync(UserService.UserServiceClient users, string when)
        {
            var reads = new System.Collections.Concurrent.ConcurrentDictionary<long, string?>();
            await Parallel.ForEachAsync(known.Keys.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, _) => reads[id] = await ReadAsync(users, id));
            foreach (var (id, fullName) in known.ToList())
            {
                var stored = reads[id];
                if (changesInFlight.Remove(id, out var change))
                {
                    InFlight++;
                    Assert.True(stored == change.Before || stored == change.After, $"seed {seed}, {when}: user {id} is '{stored}', neither '{change.Before}' before its write in flight nor '{change.After}' after it");
                    known[id] = stored;
                    if (stored is null)
                    {
                        foreach (var mine in owned)
                        {
                            mine.Remove(id);
                        }
                    }
                }
                else
                {
                    Assert.True(stored == fullName, $"seed {seed}, {when}: user {id} is '{stored ?? "(gone)"}', but '{fullName ?? "(deleted)"}' was acknowledged");
                }
            }

            foreach (var (username, fullName) in createsInFlight)
            {
                InFlight++;
                var found = await users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username = \"{username}\"", PageSize = 2 });
                Assert.True(found.Users.Count <= 1, $"seed {seed}, {when}: {found.Users.Count} users named {username}");
                if (found.Users.Count == 1)
                {
                    Assert.True(found.Users[0].FullName == fullName, $"seed {seed}, {when}: {username}, created in flight, holds '{found.Users[0].FullName}', not '{fullName}'");
                    known[found.Users[0].Id] = fullName;
                    owned[int.Parse(username.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)].Add(found.Users[0].Id);
                }
            }

            createsInFlight.Clear();
        }

        /// <summary>
        /// Watches from revision 0 up to a marker written now: revisions must rise (without a gap, where the engine
        /// promises that), and replaying the changes must give exactly the stored users (every one of them the history
        /// knows, with its content).
        /// </summary>
        public async Task<int> CheckReplayAsync(UserService.UserServiceClient users)
        {
            var marker = (await users.CreateUserAsync(new CreateUserRequest { Username = "crash-marker", Email = "crash-marker@example.com", FullName = "marker" })).User;
            var replayed = new Dictionary<long, string>();
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            using var watch = users.WatchUserChanges(new WatchUserRequest { StartRevision = 0 }, cancellationToken: deadline.Token);
            var previous = 0L;
            var count = 0;
            await foreach (var change in watch.ResponseStream.ReadAllAsync(deadline.Token))
            {
                Assert.True(gapless ? change.Revision == previous + 1 : change.Revision > previous, $"seed {seed}: revision {change.Revision} follows {previous}");
                previous = change.Revision;
                count++;
                if (change.Type == UserEvent.Types.EventType.Deleted)
                {
                    replayed.Remove(change.User.Id);
                }
                else
                {
                    replayed[change.User.Id] = change.User.FullName;
                }

                if (change.User.Id == marker.Id)
                {
                    break;
                }
            }

            replayed.Remove(marker.Id);
            var stored = new Dictionary<long, string>();
            using (var list = users.ListUsers(new ListUsersRequest()))
            {
                await foreach (var user in list.ResponseStream.ReadAllAsync(deadline.Token))
                {
                    if (user.Id != marker.Id)
                    {
                        stored[user.Id] = user.FullName;
                    }
                }
            }

            Assert.Equal(stored.OrderBy(pair => pair.Key), replayed.OrderBy(pair => pair.Key));
            var expected = known.Where(pair => pair.Value is not null).ToDictionary(pair => pair.Key, pair => pair.Value!);
            Assert.Equal(expected.OrderBy(pair => pair.Key), stored.OrderBy(pair => pair.Key));
            return count;
        }

        private static async Task<string?> ReadAsync(UserService.UserServiceClient users, long id)
        {
            try
            {
                return (await users.GetUserAsync(new GetUserRequest { UserId = id })).FullName;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
            {
                return null;
            }
        }

        private string? Read(long id)
        {
            lock (gate)
            {
                return known[id];
            }
        }

        private void Record(Action change)
        {
            lock (gate)
            {
                change();
            }
        }
    }
}

[Collection(ReliabilitySuite.Name)]
public sealed class SqliteCrashHistoryTests(ITestOutputHelper output) : CrashHistoryTests(output)
{
    private protected override bool GaplessRevisions => true;

    private protected override Task<string[]> StoreAsync(string dataDir) => Task.FromResult<string[]>(["--data-dir", dataDir]);
}

/// <summary>On PostgreSQL (TESSERA_TEST_POSTGRES), a database of its own; the data directory holds only the server's files.</summary>
[Collection(ReliabilitySuite.Name)]
public sealed class PostgresCrashHistoryTests(ITestOutputHelper output) : CrashHistoryTests(output), IAsyncLifetime
{
    private readonly string database = $"tessera_crash_{Guid.NewGuid():N}";
    private string? admin;

    private protected override bool GaplessRevisions => false;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (admin is not null)
        {
            await ReplicaPostgres.DropDatabaseAsync(admin, database);
        }
    }

    private protected override async Task<string[]> StoreAsync(string dataDir)
    {
        admin = ReplicaPostgres.AdminConnectionString;
        return ["--data-dir", dataDir, "--store", "postgres", "--connection", await ReplicaPostgres.CreateDatabaseAsync(admin, database)];
    }
}
