using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;
using Tessera.IntegrationTests.Operations;
using Tessera.IntegrationTests.Replicas;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// The server killed with SIGKILL at random moments of a recorded load (creates, updates, deletes and bulk imports of
/// users; orders placed, paid and cancelled, see <see cref="OrderHistory"/>), then restarted on the same data, again
/// and again; after every restart the recorded history is checked: every acknowledged write is there with its
/// acknowledged content, a write in flight at the kill is wholly there or wholly absent, and at the end the change log
/// replays (a watch from revision 0) with contiguous revisions into exactly the users stored, and every order settles
/// with its goods matching its money. The random schedule's seed is printed (and in every failure) so that a run can
/// be replayed. Each store engine has its own class (<see cref="SqliteCrashHistoryTests"/>, <see cref="PostgresCrashHistoryTests"/>).
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
        var reads = new CheckReads();
        var history = new History(seed, GaplessRevisions, reads);
        var orders = new OrderHistory(seed, reads);
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
                if (point == 0)
                {
                    history.Adopt(await orders.SetUpAsync(channel));
                }

                await history.CheckAsync(users, $"after restart {point}");
                await orders.CheckAsync(channel, $"after restart {point}");

                using var load = new CancellationTokenSource();
                var workers = Enumerable.Range(0, Workers).Select(worker => history.RunAsync(users, worker, new Random(random.Next()), load.Token))
                    .Concat(Enumerable.Range(0, OrderHistory.Workers).Select(worker => orders.RunAsync(channel, worker, new Random(random.Next()), load.Token)))
                    .ToArray();
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
            await orders.CheckAsync(finalChannel, "after the last restart");
            await orders.CheckSettledAsync(finalChannel);
            var replayed = await history.CheckReplayAsync(finalUsers);
            output.WriteLine($"{GetType().Name}: {KillPoints} kill points; {history.Acknowledged:N0} acknowledged writes checked (a bulk import's users count one each), {history.InFlight} in flight at a kill; {history.Imports:N0} bulk imports stored {history.ImportedUsers:N0} users; {replayed:N0} changes replayed");
            output.WriteLine($"{GetType().Name}: {reads.Resent} check reads got no answer within 30 s and were sent again");
            output.WriteLine($"{GetType().Name}: {orders.Orders:N0} orders ({orders.Confirmed:N0} confirmed at the end), {orders.Acknowledged:N0} order, cancel and restock answers checked, {orders.InFlight} cut by a kill and sent again");
            Assert.True(history.Acknowledged > KillPoints * 10, $"seed {seed}: only {history.Acknowledged} writes were acknowledged");
            Assert.True(orders.Acknowledged > KillPoints * 4 && orders.InFlight > 0, $"seed {seed}: only {orders.Acknowledged} order calls were acknowledged and {orders.InFlight} cut by a kill");
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
    private sealed class History(int seed, bool gapless, CheckReads reads)
    {
        private readonly object gate = new();
        private readonly Dictionary<long, string?> known = [];
        private readonly Dictionary<string, string> createsInFlight = [];
        private readonly Dictionary<long, (string? Before, string? After)> changesInFlight = [];
        private readonly List<Bulk> bulks = [];
        private readonly List<long>[] owned = [.. Enumerable.Range(0, Workers).Select(_ => new List<long>())];
        private int next;

        /// <summary>A call, once made, is never cancelled by the client: only the kill decides its outcome.</summary>
        private static CancellationToken Unstopped => CancellationToken.None;

        public long Acknowledged { get; private set; }

        public int InFlight { get; private set; }

        /// <summary>Bulk imports checked, and the users they stored.</summary>
        public int Imports { get; private set; }

        public int ImportedUsers { get; private set; }

        /// <summary>Users made outside the load (the order history's buyers): known, never renamed or deleted.</summary>
        public void Adopt(IEnumerable<User> users)
        {
            foreach (var user in users)
            {
                known[user.Id] = user.FullName;
            }
        }

        /// <summary>Creates, renames and deletes this worker's users until cancelled or the server dies.</summary>
        public async Task RunAsync(UserService.UserServiceClient users, int worker, Random random, CancellationToken cancellationToken)
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var mine = owned[worker];
                var roll = random.Next(10);
                try
                {
                    if (roll == 4)
                    {
                        await ImportAsync(users, worker, random);
                    }
                    else if (mine.Count == 0 || roll < 4)
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
                catch (RpcException e) when (e.StatusCode is StatusCode.Unavailable or StatusCode.Internal or StatusCode.Cancelled or StatusCode.Unknown or StatusCode.DeadlineExceeded)
                {
                    return;
                }
            }
        }

        /// <summary>
        /// One BulkCreateUsers stream of 200-1,200 new users. Acknowledged when its summary arrives; the server commits
        /// it in batches of <see cref="Tessera.Users.UserService.BulkBatchSize"/>, one after another, so at a kill the
        /// users stored must be the stream's first batches, whole.
        /// </summary>
        private async Task ImportAsync(UserService.UserServiceClient users, int worker, Random random)
        {
            var bulk = new Bulk(worker, $"crash-{worker}-b{Interlocked.Increment(ref next)}", random.Next(200, 1200), $"imported {random.Next()}");
            Record(() => bulks.Add(bulk));
            // Its deadline only bounds a stream whose server died under it and whose client never hears (which hung
            // a run once); the import itself takes well under a second.
            using var call = users.BulkCreateUsers(deadline: DateTime.UtcNow.AddSeconds(30), cancellationToken: Unstopped);
            try
            {
                for (var i = 0; i < bulk.Count; i++)
                {
                    var username = bulk.Username(i);
                    await call.RequestStream.WriteAsync(new CreateUserRequest { Username = username, Email = $"{username}@example.com", FullName = bulk.FullName });
                }

                await call.RequestStream.CompleteAsync();
            }
            catch (Exception e) when (e is InvalidOperationException or IOException)
            {
                // The server died under the stream (the call ended, or its connection did): the response says how.
            }

            var summary = await call.ResponseAsync;
            Assert.True(summary.CreatedCount == bulk.Count, $"seed {seed}: a bulk import of {bulk.Count} created {summary.CreatedCount}");
            Record(() =>
            {
                bulk.Acknowledged = true;
                Acknowledged += bulk.Count;
            });
        }

        /// <summary>
        /// Reads every user the history knows: acknowledged ones must hold what was acknowledged (or be gone, when the
        /// delete was); a write in flight at the kill must be wholly applied or not at all. Then the history knows them.
        /// </summary>
        public async Task CheckAsync(UserService.UserServiceClient users, string when)
        {
            var all = (await reads.ReadAsync(async deadline =>
            {
                using var list = users.ListUsers(new ListUsersRequest(), deadline: deadline);
                return await list.ResponseStream.ReadAllAsync().ToListAsync();
            })).ToDictionary(user => user.Id, user => user.FullName);

            foreach (var (id, fullName) in known.ToList())
            {
                var stored = all.GetValueOrDefault(id);
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
                var found = await reads.ReadAsync(deadline => users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username = \"{username}\"", PageSize = 2 }, deadline: deadline).ResponseAsync);
                Assert.True(found.Users.Count <= 1, $"seed {seed}, {when}: {found.Users.Count} users named {username}");
                if (found.Users.Count == 1)
                {
                    Assert.True(found.Users[0].FullName == fullName, $"seed {seed}, {when}: {username}, created in flight, holds '{found.Users[0].FullName}', not '{fullName}'");
                    known[found.Users[0].Id] = fullName;
                    owned[int.Parse(username.Split('-')[1], System.Globalization.CultureInfo.InvariantCulture)].Add(found.Users[0].Id);
                }
            }

            createsInFlight.Clear();
            foreach (var bulk in bulks)
            {
                await CheckBulkAsync(users, bulk, when);
            }

            bulks.Clear();
        }

        /// <summary>
        /// An acknowledged import must be stored whole; one in flight at the kill as its first whole batches (none, some
        /// or all). Its users then join the history, to be renamed and deleted like the others.
        /// </summary>
        private async Task CheckBulkAsync(UserService.UserServiceClient users, Bulk bulk, string when)
        {
            var stored = new List<User>();
            var token = "";
            do
            {
                var page = await reads.ReadAsync(deadline => users.SearchUsersAsync(new SearchUsersRequest { Filter = $"username:\"{bulk.Prefix}-*\"", PageSize = 1000, PageToken = token, OrderBy = "id" }, deadline: deadline).ResponseAsync);
                stored.AddRange(page.Users);
                token = page.NextPageToken;
            }
            while (token.Length > 0);

            var batch = Tessera.Users.UserService.BulkBatchSize;
            if (bulk.Acknowledged)
            {
                Assert.True(stored.Count == bulk.Count, $"seed {seed}, {when}: an acknowledged import of {bulk.Count} users left {stored.Count}");
            }
            else
            {
                InFlight++;
                Assert.True(stored.Count % batch == 0 || stored.Count == bulk.Count, $"seed {seed}, {when}: an import of {bulk.Count} in flight left {stored.Count} users, not whole batches of {batch}");
            }

            Imports++;
            ImportedUsers += stored.Count;
            for (var i = 0; i < stored.Count; i++)
            {
                Assert.True(stored[i].Username == bulk.Username(i) && stored[i].FullName == bulk.FullName, $"seed {seed}, {when}: stored {stored[i].Username} '{stored[i].FullName}' where the import's item {i} is {bulk.Username(i)} '{bulk.FullName}'");
                known[stored[i].Id] = bulk.FullName;
                owned[bulk.Worker].Add(stored[i].Id);
            }
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

        /// <summary>One import: its users are PREFIX-0, PREFIX-1, ..., all with one full name.</summary>
        private sealed record Bulk(int Worker, string Prefix, int Count, string FullName)
        {
            public bool Acknowledged { get; set; }

            public string Username(int i) => $"{Prefix}-{i:D4}";
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
