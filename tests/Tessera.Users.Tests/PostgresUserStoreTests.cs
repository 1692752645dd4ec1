using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Postgres;

namespace Tessera.Users.Tests;

/// <summary>
/// The store contract on PostgreSQL (a database of the class's own, emptied before each test), plus what only
/// PostgreSQL has: several replicas on one database, revisions that stay in commit order across them, the change feed
/// recovering from a lost listener, and migrations that run once however many replicas start together.
/// </summary>
public sealed class PostgresUserStoreTests(PostgresDatabaseFixture fixture) : UserStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase? database;

    private PostgresDatabase Database => database ??= fixture.Fresh();

    protected override IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock) =>
        new PostgresUserStore(Database.ConnectionString, notifier, clock);

    [SkippableFact]
    public async Task Creates_through_two_replicas_reach_both_feeds_once_each_in_revision_order()
    {
        var (a, aNotifier) = OpenReplica();
        var (b, bNotifier) = OpenReplica();
        var watchA = WatchAsync(a, aNotifier, 0, 120);
        var watchB = WatchAsync(b, bNotifier, 0, 120);

        await Task.WhenAll(Enumerable.Range(0, 120).Select(i =>
            (i % 2 == 0 ? a : b).CreateAsync(NewUser($"user{i}"), null, default)));

        var seenByA = await watchA;
        var seenByB = await watchB;
        Assert.Equal(Enumerable.Range(0, 120).Select(i => $"user{i}").Order(), seenByA.Select(c => c.User.Username).Order());
        AssertAscending(seenByA);
        Assert.Equal(seenByA.Select(c => (c.Revision, c.User.Id)), seenByB.Select(c => (c.Revision, c.User.Id)));
        Assert.Equal(seenByA[^1].Revision, aNotifier.Latest);
        Assert.Equal(seenByA[^1].Revision, bNotifier.Latest);

        // A user A has read (and cached) and B then changes reads as changed on A once A's feed has the change.
        var first = seenByA[0].User;
        AssertSameUser(first, await a.GetAsync(first.Id, default));
        var changed = (await b.UpdateAsync(first.Id, null, u => u with { FullName = "Changed on B" }, null, default))!;
        await aNotifier.WaitBeyondAsync(bNotifier.Latest - 1, default).WaitAsync(Deadline);
        AssertSameUser(changed, await a.GetAsync(first.Id, default));
        await b.DeleteAsync(first.Id, null, default);
        await aNotifier.WaitBeyondAsync(bNotifier.Latest - 1, default).WaitAsync(Deadline);
        Assert.Null(await a.GetAsync(first.Id, default));
    }

    [SkippableFact]
    public async Task Two_replicas_given_one_request_id_or_one_username_at_once_create_one_user()
    {
        var (a, _) = OpenReplica();
        var (b, _) = OpenReplica();
        for (var round = 0; round < 20; round++)
        {
            var replays = await Task.WhenAll(
                a.CreateAsync(NewUser($"same{round}"), $"request-{round}", default),
                b.CreateAsync(NewUser($"same{round}"), $"request-{round}", default));
            Assert.Single(replays, r => !r.Replayed);
            Assert.Equal(replays[0].User.Id, replays[1].User.Id);

            var clashes = await Task.WhenAll(
                CreateOrClashAsync(a, NewUser($"taken{round}", $"a{round}@example.com")),
                CreateOrClashAsync(b, NewUser($"TAKEN{round}", $"b{round}@example.com")));
            Assert.Single(clashes, field => field is null);
            Assert.Single(clashes, field => field == "username");
        }

        Assert.Equal(40, await a.CountAsync(null, default));
    }

    [SkippableFact]
    public async Task A_transaction_that_wrote_first_but_commits_last_is_seen_after_the_other_and_not_skipped()
    {
        var (a, _) = OpenReplica();
        var (b, _) = OpenReplica();
        var (watcher, watcherNotifier) = OpenReplica();
        var alice = (await a.CreateAsync(NewUser("alice"), null, default)).User;
        var dave = (await a.CreateAsync(NewUser("dave"), null, default)).User;
        var start = await watcher.GetRevisionAsync(default);
        var watch = WatchAsync(watcher, watcherNotifier, start, 4);

        // Replica A's writer is held inside a transaction: first by an update of alice (so that the next group
        // forms behind it), then by a group whose create of carol has already written carol's row.
        using var firstHeld = new ManualResetEventSlim();
        using var releaseFirst = new ManualResetEventSlim();
        using var secondHeld = new ManualResetEventSlim();
        using var releaseSecond = new ManualResetEventSlim();
        var first = a.UpdateAsync(alice.Id, null, u => Hold(u, firstHeld, releaseFirst) with { FullName = "Alice II" }, null, default);
        Assert.True(firstHeld.Wait(Deadline));
        var carol = a.CreateAsync(NewUser("carol"), null, default);
        var second = a.UpdateAsync(dave.Id, null, u => Hold(u, secondHeld, releaseSecond) with { FullName = "Dave II" }, null, default);
        releaseFirst.Set();
        await first.WaitAsync(Deadline);
        Assert.True(secondHeld.Wait(Deadline));

        // Meanwhile replica B commits bob, after carol's row was written.
        var bob = (await b.CreateAsync(NewUser("bob"), null, default)).User;
        Assert.False(carol.IsCompleted);
        releaseSecond.Set();
        var carolUser = (await carol.WaitAsync(Deadline)).User;
        await second.WaitAsync(Deadline);

        var seen = await watch;
        Assert.Equal(["alice", "bob", "carol", "dave"], seen.Select(c => c.User.Username));
        AssertAscending(seen);
        Assert.True(carolUser.Id < bob.Id, "carol's row was written before bob's");
        Assert.Equal(seen, await watcher.ReadChangesAsync(start, 10, default));
    }

    [SkippableFact]
    public async Task A_writer_that_drew_a_revision_holds_back_later_ones_until_it_commits()
    {
        var (a, aNotifier) = OpenReplica();
        var (watcher, watcherNotifier) = OpenReplica();
        var watch = WatchAsync(watcher, watcherNotifier, 0, 2);

        // Another replica at the last step of its write: the revision lock taken, a revision drawn and its change
        // inserted, not yet committed.
        await using var other = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await other.OpenAsync();
        await using var transaction = await other.BeginTransactionAsync();
        var ghost = new UserRecord(1_000_000, "ghost", "ghost@example.com", "Ghost", true, [], new Dictionary<string, string>(), null, Clock.GetUtcNow(), Clock.GetUtcNow(), 1);
        await using (var locked = new Npgsql.NpgsqlCommand($"SELECT pg_advisory_xact_lock({PostgresChangeLog.RevisionLock})", other, transaction))
        {
            await locked.ExecuteNonQueryAsync();
        }

        await using (var draw = new Npgsql.NpgsqlCommand($"""
            INSERT INTO user_changes (revision, type, user_id, snapshot, changed_at)
            VALUES (nextval('user_changes_revision'), 0, {ghost.Id}, $1, 0)
            """, other, transaction))
        {
            draw.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = UserSnapshots.Serialize(ghost) });
            await draw.ExecuteNonQueryAsync();
        }

        var alice = a.CreateAsync(NewUser("alice"), null, default);
        await Task.Delay(300);
        Assert.False(alice.IsCompleted, "a write committed while another replica held the revision lock");
        Assert.Equal(0, aNotifier.Latest);
        await transaction.CommitAsync();
        await alice.WaitAsync(Deadline);

        var seen = await watch;
        Assert.Equal(["ghost", "alice"], seen.Select(c => c.User.Username));
        AssertAscending(seen);
    }

    [SkippableFact]
    public async Task The_feed_recovers_when_its_listener_connection_is_killed_and_reads_the_gap()
    {
        var (a, aNotifier) = OpenReplica();
        var (b, _) = OpenReplica();
        var store = (PostgresUserStore)a;
        var pid = await WaitForListenerAsync(store, 0);
        var watch = WatchAsync(a, aNotifier, 0, 30);

        Assert.Equal(true, Database.Execute($"SELECT pg_terminate_backend({pid})"));
        for (var i = 0; i < 30; i++)
        {
            await b.CreateAsync(NewUser($"user{i}"), null, default);
        }

        var seen = await watch;
        Assert.Equal(Enumerable.Range(0, 30).Select(i => $"user{i}"), seen.Select(c => c.User.Username));
        AssertAscending(seen);
        Assert.NotEqual(pid, await WaitForListenerAsync(store, pid));

        // The new listener carries later changes too, and GetUser on A shows B's writes.
        var late = (await b.CreateAsync(NewUser("late"), null, default)).User;
        await aNotifier.WaitBeyondAsync(seen[^1].Revision, default).WaitAsync(Deadline);
        AssertSameUser(late, await a.GetAsync(late.Id, default));
    }

    [SkippableFact]
    public async Task After_every_connection_is_cut_writes_fail_as_transient_then_carry_on_and_the_feed_misses_nothing()
    {
        var (a, aNotifier) = OpenReplica();
        var watch = WatchAsync(a, aNotifier, 0, 20);
        for (var i = 0; i < 10; i++)
        {
            await a.CreateAsync(NewUser($"before{i}"), null, default);
        }

        Database.Execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");

        var failures = new List<Exception>();
        for (var i = 0; i < 10; i++)
        {
            while (true)
            {
                try
                {
                    await a.CreateAsync(NewUser($"after{i}"), $"after-{i}", default);
                    break;
                }
                catch (Exception e) when (failures.Count < 20)
                {
                    // A cut connection fails the call it carried: retryable (UNAVAILABLE), and retried with its request id.
                    Assert.True(StoreFailures.IsTransient(e), $"not transient: {e}");
                    failures.Add(e);
                }
            }
        }

        Assert.NotEmpty(failures);
        var seen = await watch;
        Assert.Equal(
            Enumerable.Range(0, 10).Select(i => $"before{i}").Concat(Enumerable.Range(0, 10).Select(i => $"after{i}")),
            seen.Select(c => c.User.Username));
        AssertAscending(seen);
        Assert.Equal(20, await a.CountAsync(null, default));
    }

    [SkippableFact]
    public async Task Three_replicas_starting_together_migrate_exactly_once()
    {
        using var fresh = new PostgresDatabase();
        var stores = Enumerable.Range(0, 3).Select(_ => new PostgresUserStore(fresh.ConnectionString, new ChangeNotifier(), Clock)).ToArray();
        try
        {
            await Task.WhenAll(stores.Select(s => s.InitializeAsync(default)));

            Assert.Equal(
                Enumerable.Range(1, PostgresSchema.LatestVersion).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                fresh.Query("SELECT version FROM schema_migrations ORDER BY version"));
            await stores[2].CreateAsync(NewUser("alice"), null, default);
            Assert.Equal(1, await stores[0].CountAsync(null, default));
        }
        finally
        {
            foreach (var each in stores)
            {
                await each.DisposeAsync();
            }
        }
    }

    [SkippableFact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        Close(Open(new ChangeNotifier()));
        Database.Execute($"INSERT INTO schema_migrations (version) VALUES ({PostgresSchema.LatestVersion + 1})");

        await using var newer = new PostgresUserStore(Database.ConnectionString, new ChangeNotifier(), Clock);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(default));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Database.Execute($"DELETE FROM schema_migrations WHERE version > {PostgresSchema.LatestVersion}");
    }

    [SkippableFact]
    public async Task A_query_is_cancelled_by_its_callers_token()
    {
        var alice = (await Store.CreateAsync(NewUser("alice"), null, default)).User;

        // A row lock held by another session makes the update wait inside the database until its deadline.
        await using var blocker = new Npgsql.NpgsqlConnection(Database.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var lockRow = new Npgsql.NpgsqlCommand($"SELECT 1 FROM users WHERE id = {alice.Id} FOR UPDATE", blocker, transaction))
        {
            await lockRow.ExecuteScalarAsync();
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.UpdateAsync(alice.Id, null, u => u with { FullName = "late" }, null, deadline.Token));
        await transaction.RollbackAsync();

        // The writer carries on; the cancelled update left nothing behind.
        var bob = (await Store.CreateAsync(NewUser("bob"), null, default)).User;
        Assert.Equal("alice Example", (await Store.GetAsync(alice.Id, default))!.FullName);
        Assert.Equal(bob.Id, (await Store.GetAsync(bob.Id, default))!.Id);
    }

    private (IUserStore Store, ChangeNotifier Notifier) OpenReplica()
    {
        var notifier = new ChangeNotifier();
        return (Open(notifier), notifier);
    }

    /// <summary>Null when the create succeeded, else the field that clashed.</summary>
    private static async Task<string?> CreateOrClashAsync(IUserStore store, NewUser user)
    {
        try
        {
            await store.CreateAsync(user, null, default);
            return null;
        }
        catch (UniqueViolationException clash)
        {
            return clash.Field;
        }
    }

    private static T Hold<T>(T value, ManualResetEventSlim held, ManualResetEventSlim release)
    {
        held.Set();
        Assert.True(release.Wait(Deadline), "the test never released the held transaction");
        return value;
    }

    /// <summary>Follows the change log as a watch stream does, until <paramref name="count"/> changes arrived.</summary>
    private static async Task<List<UserChange>> WatchAsync(IUserStore store, ChangeNotifier notifier, long after, int count)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        var seen = new List<UserChange>();
        while (seen.Count < count)
        {
            var changes = await store.ReadChangesAsync(after, 100, deadline.Token);
            seen.AddRange(changes);
            if (changes.Count > 0)
            {
                after = changes[^1].Revision;
            }
            else
            {
                await notifier.WaitBeyondAsync(after, deadline.Token);
            }
        }

        return seen;
    }

    private static void AssertAscending(List<UserChange> changes)
    {
        for (var i = 1; i < changes.Count; i++)
        {
            Assert.True(changes[i].Revision > changes[i - 1].Revision, $"revision {changes[i].Revision} follows {changes[i - 1].Revision}");
        }
    }

    private static async Task<int> WaitForListenerAsync(PostgresUserStore store, int other)
    {
        var until = DateTime.UtcNow + Deadline;
        while (store.ListenerProcessId == 0 || store.ListenerProcessId == other)
        {
            Assert.True(DateTime.UtcNow < until, "the change feed's listener did not connect");
            await Task.Delay(20);
        }

        return store.ListenerProcessId;
    }
}
