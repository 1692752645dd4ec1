using System.Globalization;
using Tessera.Users.Changes;
using Tessera.Users.Filtering;
using Tessera.Users.Storage;
using static Tessera.Users.Storage.BulkItemOutcome;

namespace Tessera.Users.Tests;

/// <summary>
/// What every <see cref="IUserStore"/> must do. A store runs it by deriving from this class and implementing
/// <see cref="CreateStore"/>; every call of it within one test must open the same (initially empty) database,
/// so a second call is a restart of the server.
/// </summary>
public abstract class UserStoreContract : IDisposable
{
    protected static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly List<IUserStore> opened = [];
    private IUserStore? store;

    protected ManualClock Clock { get; } = new();

    protected ChangeNotifier Notifier { get; } = new();

    /// <summary>The store under test, opened on first use.</summary>
    protected IUserStore Store => store ??= Open(Notifier);

    protected abstract IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            foreach (var each in opened.ToArray())
            {
                Close(each);
            }

            opened.Clear();
        }
    }

    // ---- create / get -------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Create_then_get_round_trips_every_field()
    {
        var created = (await Store.CreateAsync(
            NewUser("alice", "Alice@Example.com", "Alice Anderson", roles: ["admin", "dev"],
                metadata: new Dictionary<string, string> { ["team"] = "core", ["floor"] = "3", ["note"] = "ünïcødé \"quoted\"" },
                nickname: "Ali", isActive: false, passwordHash: "hash-1"),
            null, default)).User;

        Assert.True(created.Id > 0);
        Assert.Equal("alice", created.Username);
        Assert.Equal("Alice@Example.com", created.Email);
        Assert.Equal("Alice Anderson", created.FullName);
        Assert.False(created.IsActive);
        Assert.Equal(["admin", "dev"], created.Roles);
        Assert.Equal("core", created.Metadata["team"]);
        Assert.Equal("Ali", created.Nickname);
        Assert.Equal(1, created.Version);
        Assert.Equal("v1", created.Etag);
        AssertSameUser(created, await Store.GetAsync(created.Id, default));
    }

    [SkippableFact]
    public async Task Timestamps_are_the_clock_time_to_the_microsecond()
    {
        var now = Clock.GetUtcNow();
        Assert.NotEqual(0, now.UtcTicks % 10); // the clock has sub-microsecond ticks a store cannot keep
        var created = (await Store.CreateAsync(NewUser("alice"), null, default)).User;

        Assert.Equal(TruncateToMicros(now), created.CreatedAt);
        Assert.Equal(created.CreatedAt, created.UpdatedAt);
        var read = await Store.GetAsync(created.Id, default);
        Assert.Equal(created.CreatedAt, read!.CreatedAt);
        Assert.Equal(created.UpdatedAt, read.UpdatedAt);
    }

    [SkippableTheory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Ali")]
    public async Task Nickname_round_trips_as_given(string? nickname)
    {
        var created = (await Store.CreateAsync(NewUser("alice", nickname: nickname), null, default)).User;
        Assert.Equal(nickname, (await Store.GetAsync(created.Id, default))!.Nickname);
    }

    [SkippableFact]
    public async Task Empty_roles_and_metadata_round_trip()
    {
        var created = (await Store.CreateAsync(NewUser("alice", roles: [], metadata: new Dictionary<string, string>()), null, default)).User;
        var read = (await Store.GetAsync(created.Id, default))!;
        Assert.Empty(read.Roles);
        Assert.Empty(read.Metadata);
    }

    [SkippableFact]
    public async Task A_write_probe_commits_and_changes_no_user_and_no_revision()
    {
        var alice = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        var revision = await Store.GetRevisionAsync(default);

        await Store.ProbeWriteAsync(default);
        await Store.ProbeWriteAsync(default);

        Assert.Equal(revision, await Store.GetRevisionAsync(default));
        Assert.Single(await Store.ReadChangesAsync(0, 100, default));
        AssertSameUser(alice, await Store.GetAsync(alice.Id, default));
        var bob = (await Store.CreateAsync(NewUser("bob"), null, default)).User;
        Assert.Equal(revision + 1, await Store.GetRevisionAsync(default));
        Assert.Equal("bob", (await Store.GetAsync(bob.Id, default))!.Username);
    }

    [SkippableFact]
    public async Task Each_user_gets_its_own_id()
    {
        var a = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        var b = (await Store.CreateAsync(NewUser("bob"), null, default)).User;
        Assert.NotEqual(a.Id, b.Id);
        Assert.Equal("alice", (await Store.GetAsync(a.Id, default))!.Username);
        Assert.Equal("bob", (await Store.GetAsync(b.Id, default))!.Username);
    }

    [SkippableFact]
    public async Task Get_of_an_unknown_id_is_null() => Assert.Null(await Store.GetAsync(12345, default));

    [SkippableTheory]
    [InlineData("ALICE", "other@example.com", "username")]
    [InlineData("Alice", "other@example.com", "username")]
    [InlineData("bob", "ALICE@example.COM", "email")]
    public async Task Username_and_email_are_unique_regardless_of_case(string username, string email, string field)
    {
        await Store.CreateAsync(NewUser("alice", "alice@example.com"), null, default);
        var revision = await Store.GetRevisionAsync(default);

        var clash = await Assert.ThrowsAsync<UniqueViolationException>(() => Store.CreateAsync(NewUser(username, email), null, default));

        Assert.Equal(field, clash.Field);
        Assert.Equal(1, await Store.CountAsync(null, default));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
    }

    [SkippableFact]
    public async Task A_deleted_users_name_can_be_used_again()
    {
        var first = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        await Store.DeleteAsync(first.Id, null, default);
        var second = (await Store.CreateAsync(NewUser("ALICE"), null, default)).User;
        Assert.NotEqual(first.Id, second.Id);
    }

    [SkippableFact]
    public async Task Concurrent_creates_of_one_username_let_exactly_one_win()
    {
        var store = Store;
        var attempts = Enumerable.Range(0, 50).Select(i => Task.Run(async () =>
        {
            try
            {
                await store.CreateAsync(NewUser(i % 2 == 0 ? "race" : "RACE", $"racer{i}@example.com"), null, default);
                return "created";
            }
            catch (UniqueViolationException clash)
            {
                return clash.Field;
            }
        }));

        var outcomes = await Task.WhenAll(attempts).WaitAsync(Deadline);

        Assert.Single(outcomes, o => o == "created");
        Assert.Equal(49, outcomes.Count(o => o == "username"));
        Assert.Equal(1, await Store.CountAsync(null, default));
        Assert.Single(await Store.ReadChangesAsync(0, 100, default));
    }

    // ---- request ids --------------------------------------------------------------------------------

    [SkippableFact]
    public async Task A_repeated_request_id_returns_the_first_user_and_creates_nothing()
    {
        var first = await Store.CreateAsync(NewUser("alice"), "req-1", default);
        var revision = await Store.GetRevisionAsync(default);
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = await Store.CreateAsync(NewUser("alice", fullName: "Changed Name"), "req-1", default);

        Assert.False(first.Replayed);
        Assert.True(again.Replayed);
        AssertSameUser(first.User, again.User);
        Assert.Equal(1, await Store.CountAsync(null, default));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
        Assert.Equal(revision, Notifier.Latest);
    }

    [SkippableFact]
    public async Task A_request_id_reused_for_another_user_is_rejected()
    {
        await Store.CreateAsync(NewUser("alice"), "req-1", default);
        var revision = await Store.GetRevisionAsync(default);

        await Assert.ThrowsAsync<RequestIdMismatchException>(() => Store.CreateAsync(NewUser("bob"), "req-1", default));
        await Assert.ThrowsAsync<RequestIdMismatchException>(() => Store.CreateAsync(NewUser("alice", "elsewhere@example.com"), "req-1", default));

        Assert.Equal(1, await Store.CountAsync(null, default));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
    }

    [SkippableFact]
    public async Task Distinct_request_ids_still_enforce_uniqueness()
    {
        await Store.CreateAsync(NewUser("alice"), "req-1", default);
        var clash = await Assert.ThrowsAsync<UniqueViolationException>(() => Store.CreateAsync(NewUser("alice", "other@example.com"), "req-2", default));
        Assert.Equal("username", clash.Field);
    }

    [SkippableFact]
    public async Task A_failed_create_does_not_consume_its_request_id()
    {
        await Store.CreateAsync(NewUser("alice"), null, default);
        await Assert.ThrowsAsync<UniqueViolationException>(() => Store.CreateAsync(NewUser("alice", "a2@example.com"), "req-1", default));

        var retry = await Store.CreateAsync(NewUser("alice2", "a2@example.com"), "req-1", default);

        Assert.False(retry.Replayed);
        Assert.Equal("alice2", retry.User.Username);
    }

    // ---- update -------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Update_round_trips_and_bumps_version_etag_and_updated_at()
    {
        var created = (await Store.CreateAsync(NewUser("alice", nickname: "Ali", roles: ["dev"]), null, default)).User;
        Clock.Advance(TimeSpan.FromSeconds(1.5));

        var updated = await Store.UpdateAsync(created.Id, created.Etag, u => u with
        {
            Username = "alice2",
            Email = "alice2@example.com",
            FullName = "Alice Two",
            IsActive = false,
            Roles = ["ops", "admin"],
            Metadata = new Dictionary<string, string> { ["k"] = "v" },
            Nickname = null,
        }, null, default);

        Assert.NotNull(updated);
        Assert.Equal(created.Id, updated.Id);
        Assert.Equal(2, updated.Version);
        Assert.Equal("v2", updated.Etag);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.Equal(TruncateToMicros(Clock.GetUtcNow()), updated.UpdatedAt);
        Assert.True(updated.UpdatedAt > created.UpdatedAt);
        Assert.Null(updated.Nickname);
        Assert.Equal(["ops", "admin"], updated.Roles);
        AssertSameUser(updated, await Store.GetAsync(created.Id, default));
    }

    [SkippableFact]
    public async Task Update_cannot_change_id_created_at_or_version()
    {
        var created = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        Clock.Advance(TimeSpan.FromSeconds(1));

        var updated = await Store.UpdateAsync(created.Id, null, u => u with
        {
            Id = 999,
            CreatedAt = DateTimeOffset.UnixEpoch,
            UpdatedAt = DateTimeOffset.UnixEpoch,
            Version = 100,
            FullName = "New",
        }, null, default);

        Assert.Equal(created.Id, updated!.Id);
        Assert.Equal(created.CreatedAt, updated.CreatedAt);
        Assert.True(updated.UpdatedAt > created.UpdatedAt);
        Assert.Equal(2, updated.Version);
        Assert.Null(await Store.GetAsync(999, default));
        AssertSameUser(updated, await Store.GetAsync(created.Id, default));
    }

    [SkippableFact]
    public async Task Every_update_bumps_the_version()
    {
        var user = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        for (var i = 0; i < 3; i++)
        {
            user = (await Store.UpdateAsync(user.Id, user.Etag, u => u with { FullName = $"Name {i}" }, null, default))!;
        }

        Assert.Equal(4, user.Version);
        Assert.Equal("v4", (await Store.GetAsync(user.Id, default))!.Etag);
    }

    [SkippableFact]
    public async Task Update_with_a_stale_etag_is_rejected_and_changes_nothing()
    {
        var created = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        var current = (await Store.UpdateAsync(created.Id, created.Etag, u => u with { FullName = "Second" }, null, default))!;
        var revision = await Store.GetRevisionAsync(default);

        var stale = await Assert.ThrowsAsync<EtagMismatchException>(
            () => Store.UpdateAsync(created.Id, created.Etag, u => u with { FullName = "Lost update" }, null, default));

        AssertSameUser(current, stale.Current);
        AssertSameUser(current, await Store.GetAsync(created.Id, default));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
    }

    [SkippableFact]
    public async Task Update_of_an_unknown_user_is_null()
    {
        var called = false;
        var result = await Store.UpdateAsync(4242, null, u =>
        {
            called = true;
            return u;
        }, null, default);

        Assert.Null(result);
        Assert.False(called);
        Assert.Equal(0, await Store.GetRevisionAsync(default));
    }

    [SkippableTheory]
    [InlineData("BOB", "alice@example.com", "username")]
    [InlineData("alice", "Bob@Example.com", "email")]
    public async Task An_update_that_clashes_leaves_the_row_unchanged(string username, string email, string field)
    {
        var alice = (await Store.CreateAsync(NewUser("alice", "alice@example.com"), null, default)).User;
        await Store.CreateAsync(NewUser("bob", "bob@example.com"), null, default);
        var revision = await Store.GetRevisionAsync(default);

        var clash = await Assert.ThrowsAsync<UniqueViolationException>(
            () => Store.UpdateAsync(alice.Id, alice.Etag, u => u with { Username = username, Email = email, FullName = "Changed" }, "new-hash", default));

        Assert.Equal(field, clash.Field);
        AssertSameUser(alice, await Store.GetAsync(alice.Id, default));
        Assert.Null((await Store.GetCredentialsAsync(alice.Id, default))?.PasswordHash);
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
    }

    [SkippableFact]
    public async Task A_user_may_change_the_case_of_its_own_username()
    {
        var alice = (await Store.CreateAsync(NewUser("alice", "alice@example.com"), null, default)).User;
        var updated = await Store.UpdateAsync(alice.Id, null, u => u with { Username = "ALICE", Email = "ALICE@example.com" }, null, default);
        Assert.Equal("ALICE", updated!.Username);
    }

    [SkippableFact]
    public async Task An_exception_in_the_change_leaves_the_row_unchanged()
    {
        var alice = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        await Assert.ThrowsAsync<InvalidOperationException>(
            () => Store.UpdateAsync(alice.Id, null, _ => throw new InvalidOperationException("invalid"), null, default));
        AssertSameUser(alice, await Store.GetAsync(alice.Id, default));

        // The store is still usable afterwards.
        Assert.NotNull(await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "ok" }, null, default));
    }

    [SkippableFact]
    public async Task Password_hash_is_kept_until_an_update_replaces_it()
    {
        var alice = (await Store.CreateAsync(NewUser("alice", passwordHash: "hash-1"), null, default)).User;
        var bob = (await Store.CreateAsync(NewUser("bob"), null, default)).User;

        Assert.Equal("hash-1", (await Store.GetCredentialsAsync(alice.Id, default))?.PasswordHash);
        Assert.Null((await Store.GetCredentialsAsync(bob.Id, default))?.PasswordHash);
        Assert.Null(await Store.GetCredentialsAsync(9999, default));

        await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "x" }, null, default);
        Assert.Equal("hash-1", (await Store.GetCredentialsAsync(alice.Id, default))?.PasswordHash);

        await Store.UpdateAsync(alice.Id, null, u => u, "hash-2", default);
        Assert.Equal("hash-2", (await Store.GetCredentialsAsync(alice.Id, default))?.PasswordHash);
    }

    // ---- delete -------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Delete_returns_the_user_as_it_was_and_removes_it()
    {
        var alice = (await Store.CreateAsync(NewUser("alice", roles: ["dev"]), null, default)).User;
        var bob = (await Store.CreateAsync(NewUser("bob"), null, default)).User;

        AssertSameUser(alice, await Store.DeleteAsync(alice.Id, alice.Etag, default));

        Assert.Null(await Store.GetAsync(alice.Id, default));
        Assert.Null(await Store.DeleteAsync(alice.Id, null, default));
        Assert.NotNull(await Store.GetAsync(bob.Id, default));
        Assert.Equal(1, await Store.CountAsync(null, default));
    }

    [SkippableFact]
    public async Task Delete_of_an_unknown_id_is_null_and_changes_nothing()
    {
        await Store.CreateAsync(NewUser("alice"), null, default);
        var revision = await Store.GetRevisionAsync(default);

        Assert.Null(await Store.DeleteAsync(777, null, default));
        Assert.Null(await Store.DeleteAsync(777, "v1", default));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
    }

    [SkippableFact]
    public async Task Delete_with_a_stale_etag_is_rejected_and_keeps_the_user()
    {
        var alice = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        var current = (await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "B" }, null, default))!;

        var stale = await Assert.ThrowsAsync<EtagMismatchException>(() => Store.DeleteAsync(alice.Id, alice.Etag, default));

        Assert.Equal("v2", stale.Current.Etag);
        AssertSameUser(current, await Store.GetAsync(alice.Id, default));
    }

    // ---- bulk create --------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Create_many_creates_the_others_and_reports_each_clash()
    {
        await Store.CreateAsync(NewUser("taken", "taken@example.com"), null, default);
        var before = await Store.GetRevisionAsync(default);

        var results = await Store.CreateManyAsync(Items(
            NewUser("one", "one@example.com"),
            NewUser("TAKEN", "fresh@example.com"),
            NewUser("two", "two@example.com"),
            NewUser("three", "ONE@example.com"),
            NewUser("four", "Taken@Example.com"),
            NewUser("Two", "five@example.com"),
            NewUser("five", "five@example.com")), default);

        Assert.Equal(7, results.Count);
        Assert.Equal([null, "username", null, "email", "email", "username", null], results.Select(r => r.ConflictField));
        Assert.Equal(["one", null, "two", null, null, null, "five"], results.Select(r => r.User?.Username));
        Assert.Equal([Created, Conflict, Created, Conflict, Conflict, Conflict, Created], results.Select(r => r.Outcome));

        var created = results.Where(r => r.User is not null).ToList();
        var changes = await Store.ReadChangesAsync(before, 100, default);
        Assert.Equal(3, changes.Count);
        Assert.All(changes, c => Assert.Equal(ChangeType.Created, c.Type));
        Assert.Equal(created.Select(r => r.Revision), changes.Select(c => c.Revision));
        Assert.Equal(created.Select(r => r.User!.Id), changes.Select(c => c.User.Id));
        Assert.True(created[0].Revision > before);
        Assert.All(results.Where(r => r.User is null), r => Assert.Equal(0, r.Revision));

        Assert.Equal(4, await Store.CountAsync(null, default));
        foreach (var result in created)
        {
            AssertSameUser(result.User!, await Store.GetAsync(result.User!.Id, default));
        }

        Assert.Equal(created[^1].Revision, await Store.GetRevisionAsync(default));
        Assert.Equal(created[^1].Revision, Notifier.Latest);
    }

    [SkippableFact]
    public async Task Create_many_where_everything_clashes_creates_nothing()
    {
        await Store.CreateAsync(NewUser("taken"), null, default);
        var revision = await Store.GetRevisionAsync(default);

        var results = await Store.CreateManyAsync(Items(NewUser("taken", "x@example.com"), NewUser("TAKEN", "y@example.com")), default);

        Assert.All(results, r => Assert.Equal("username", r.ConflictField));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
        Assert.Equal(1, await Store.CountAsync(null, default));
    }

    [SkippableFact]
    public async Task Create_many_honours_request_ids_as_create_does()
    {
        var alice = (await Store.CreateAsync(NewUser("alice"), "req-a", default)).User;
        var revision = await Store.GetRevisionAsync(default);

        var results = await Store.CreateManyAsync(
        [
            new(NewUser("ALICE", fullName: "Changed"), "req-a"),
            new(NewUser("bob"), "req-a"),
            new(NewUser("carol"), "req-c"),
            new(NewUser("carol"), "req-c"),
            new(NewUser("dave"), "req-c"),
            new(NewUser("erin", "carol@example.com"), "req-e"),
        ], default);

        Assert.Equal([Replayed, RequestIdMismatch, Created, Replayed, RequestIdMismatch, Conflict], results.Select(r => r.Outcome));
        AssertSameUser(alice, results[0].User);
        AssertSameUser(results[2].User!, results[3].User);
        Assert.Equal(2, await Store.CountAsync(null, default));
        var changes = await Store.ReadChangesAsync(revision, 100, default);
        Assert.Equal(["carol"], changes.Select(c => c.User.Username));

        // The same log as CreateAsync's: an id used in bulk replays there, and one that failed in bulk stays free.
        var again = await Store.CreateAsync(NewUser("carol"), "req-c", default);
        Assert.True(again.Replayed);
        AssertSameUser(results[2].User!, again.User);
        Assert.False((await Store.CreateAsync(NewUser("erin"), "req-e", default)).Replayed);
    }

    [SkippableFact]
    public async Task Request_ids_used_by_a_committed_bulk_create_survive_a_restart()
    {
        var first = Open(Notifier);
        await first.CreateManyAsync([new(NewUser("alice"), "req-a"), new(NewUser("bob"), null)], default);
        Close(first);

        var second = Open(new ChangeNotifier());
        Assert.Equal(new HashSet<string> { "req-a" }, await second.FindUsedRequestIdsAsync(["req-a", "req-b", "req-x"], default));
        var retried = await second.CreateManyAsync([new(NewUser("alice"), "req-a", ReplayOnly: true), new(NewUser("bob"), "req-b")], default);
        Assert.Equal([Replayed, Conflict], retried.Select(r => r.Outcome));
        Assert.Equal(2, await second.CountAsync(null, default));
    }

    [SkippableFact]
    public async Task A_replay_only_item_whose_request_id_is_unknown_fails_the_call_and_creates_nothing()
    {
        var revision = await Store.GetRevisionAsync(default);

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.CreateManyAsync([new(NewUser("alice"), null), new(NewUser("bob"), "req-b", ReplayOnly: true)], default));

        Assert.Equal(0, await Store.CountAsync(null, default));
        Assert.Equal(revision, await Store.GetRevisionAsync(default));
        Assert.Empty(await Store.FindUsedRequestIdsAsync(["req-b"], default));
    }

    [SkippableFact]
    public async Task Create_many_of_thousands_decides_each_item_in_order_and_numbers_them_in_order()
    {
        await Store.CreateAsync(NewUser("Zoë", "zoe@example.com"), null, default);
        var before = await Store.GetRevisionAsync(default);
        var users = Enumerable.Range(0, 3000).Select(i => NewUser($"user{i}")).ToArray();
        users[1] = NewUser("ZOË", "other@example.com");            // an existing user's name, folded beyond ASCII
        users[1500] = NewUser("user7", "user1500@example.com");   // an earlier item's name
        users[2999] = NewUser("last", "USER2998@example.com");     // the item before's email

        var results = await Store.CreateManyAsync(Items(users), default);

        Assert.Equal([1, 1500, 2999], results.Select((r, i) => (r, i)).Where(x => x.r.Outcome == Conflict).Select(x => x.i));
        Assert.Equal(["username", "username", "email"], results.Where(r => r.Outcome == Conflict).Select(r => r.ConflictField));
        var created = results.Where(r => r.Outcome == Created).ToList();
        Assert.Equal(2997, created.Count);
        Assert.Equal(Enumerable.Range(1, 2997).Select(i => before + i), created.Select(r => r.Revision));
        Assert.Equal(created.Select(r => r.User!.Id).Order(), created.Select(r => r.User!.Id));
        Assert.Equal(created[^1].Revision, await Store.GetRevisionAsync(default));
        Assert.Equal(2998, await Store.CountAsync(null, default));
        var changes = await Store.ReadChangesAsync(before, 3000, default);
        Assert.Equal(created.Select(r => r.User!.Username), changes.Select(c => c.User.Username));
    }

    private static BulkCreateItem[] Items(params NewUser[] users) => [.. users.Select(user => new BulkCreateItem(user, null))];

    // ---- list / count -------------------------------------------------------------------------------

    [SkippableTheory]
    [InlineData("username = BOB", "bob")]
    [InlineData("username != bob", "alice carol dave")]
    [InlineData("username:*a*", "alice carol dave")]
    [InlineData("username:c*", "carol")]
    [InlineData("username:*e", "alice dave")]
    [InlineData("email:\"*@example.org\"", "carol")]
    [InlineData("full_name:\"*smith\"", "bob carol")]
    [InlineData("nickname = \"\"", "alice carol")]
    [InlineData("nickname != \"\"", "bob dave")]
    [InlineData("nickname:*", "alice bob carol dave")]
    [InlineData("is_active = false", "carol")]
    [InlineData("is_active != false", "alice bob dave")]
    [InlineData("roles:admin", "alice dave")]
    [InlineData("roles:DEV", "alice bob")]
    [InlineData("roles:d*", "alice bob")]
    [InlineData("roles:*", "alice bob dave")]
    [InlineData("NOT roles:admin", "bob carol")]
    [InlineData("-roles:admin", "bob carol")]
    [InlineData("roles:admin OR is_active = false", "alice carol dave")]
    [InlineData("roles:admin AND roles:dev", "alice")]
    [InlineData("NOT (username = alice OR username = bob)", "carol dave")]
    public async Task List_and_count_apply_the_filter(string filter, string expected)
    {
        await SeedFourAsync();
        var parsed = FilterParser.Parse(filter);

        var users = await ListAsync(parsed);

        Assert.Equal(expected.Split(' '), users.Select(u => u.Username));
        Assert.Equal(users.Count, await Store.CountAsync(parsed, default));
    }

    [SkippableFact]
    public async Task List_filters_on_ids_and_timestamps()
    {
        var users = await SeedFourAsync();
        var third = users[2];

        Assert.Equal([users[0].Id, users[1].Id], (await ListAsync($"id < {third.Id}")).Select(u => u.Id));
        Assert.Equal([third.Id], (await ListAsync($"id = {third.Id}")).Select(u => u.Id));
        Assert.Equal(
            [third.Id, users[3].Id],
            (await ListAsync($"created_at >= \"{Rfc3339(third.CreatedAt)}\"")).Select(u => u.Id));
        Assert.Equal(
            [users[0].Id, users[1].Id],
            (await ListAsync($"created_at < \"{Rfc3339(third.CreatedAt)}\"")).Select(u => u.Id));
        Assert.Equal([third.Id], (await ListAsync($"created_at = \"{Rfc3339(third.CreatedAt)}\"")).Select(u => u.Id));
        Assert.Equal(3, (await ListAsync($"created_at != \"{Rfc3339(third.CreatedAt)}\"")).Count);
        Assert.Equal(
            [users[3].Id],
            (await ListAsync($"created_at > \"{Rfc3339(third.CreatedAt)}\"")).Select(u => u.Id));
        Assert.Equal(3, (await ListAsync($"created_at <= \"{Rfc3339(third.CreatedAt)}\"")).Count);

        Clock.Advance(TimeSpan.FromHours(1));
        var touched = (await Store.UpdateAsync(users[0].Id, null, u => u with { FullName = "Touched" }, null, default))!;
        Assert.Equal([users[0].Id], (await ListAsync($"updated_at > \"{Rfc3339(users[3].UpdatedAt)}\"")).Select(u => u.Id));
        Assert.Equal([users[0].Id], (await ListAsync($"updated_at = \"{Rfc3339(touched.UpdatedAt)}\"")).Select(u => u.Id));
    }

    [SkippableFact]
    public async Task Filter_values_are_data_not_sql()
    {
        var seeded = await SeedFourAsync();
        await Store.CreateAsync(NewUser("obrien", fullName: "Pat O'Brien"), null, default);
        await Store.CreateAsync(NewUser("percent", fullName: "100% sure"), null, default);
        await Store.CreateAsync(NewUser("hundred", fullName: "1000 sure"), null, default);
        await Store.CreateAsync(NewUser("a_c", fullName: @"C:\dir\file"), null, default);
        await Store.CreateAsync(NewUser("abc", fullName: @"C:xdirxfile"), null, default);

        Assert.Empty(await ListAsync("username = \"x' OR 1=1 --\""));
        Assert.Empty(await ListAsync("username = \"x' OR '1'='1\""));
        Assert.Empty(await ListAsync("full_name:\"*' OR 1=1; DROP TABLE users; --*\""));
        Assert.Empty(await ListAsync("roles:\"x') OR 1=1 --\""));
        Assert.Empty(await ListAsync("email = \"\\\" OR \\\"1\\\"=\\\"1\""));
        Assert.Equal(0, await Store.CountAsync(FilterParser.Parse("username = \"' OR ''='\""), default));

        Assert.Equal(["obrien"], (await ListAsync("full_name = \"pat o'brien\"")).Select(u => u.Username));
        Assert.Equal(["percent"], (await ListAsync("full_name:\"100%*\"")).Select(u => u.Username));
        Assert.Equal(["a_c"], (await ListAsync("username:\"a_*\"")).Select(u => u.Username));
        Assert.Equal(["a_c"], (await ListAsync("full_name:\"C:\\\\dir*\"")).Select(u => u.Username));
        Assert.Equal(["a_c"], (await ListAsync("full_name:\"*\\\\file\"")).Select(u => u.Username));

        Assert.Equal(9, await Store.CountAsync(null, default));
        foreach (var user in seeded)
        {
            AssertSameUser(user, await Store.GetAsync(user.Id, default));
        }
    }

    [SkippableFact]
    public async Task Offset_and_limit_page_through_the_id_order()
    {
        var ids = new List<long>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await Store.CreateAsync(NewUser($"user{i}"), null, default)).User.Id);
        }

        Assert.Equal(ids, (await ListAsync(null, offset: 0, limit: 0)).Select(u => u.Id));
        Assert.Equal(ids[3..7], (await ListAsync(null, offset: 3, limit: 4)).Select(u => u.Id));
        Assert.Equal(ids[8..], (await ListAsync(null, offset: 8, limit: 4)).Select(u => u.Id));
        Assert.Empty(await ListAsync(null, offset: 10, limit: 4));
        Assert.Equal(
            ids.Where((_, i) => i % 2 == 1).Skip(1).Take(2),
            (await ListAsync(FilterParser.Parse("username:*1 OR username:*3 OR username:*5 OR username:*7 OR username:*9"), offset: 1, limit: 2)).Select(u => u.Id));
    }

    [SkippableFact]
    public async Task Listed_users_carry_every_field_as_get_does()
    {
        var created = new List<UserRecord>
        {
            (await Store.CreateAsync(
                NewUser("ünï", "Ünï@Example.com", "Zoë Ünïcødé 名前", roles: ["admin", "dev"],
                    metadata: new Dictionary<string, string> { ["team"] = "core", ["note"] = "\"quoted\" ✓" },
                    nickname: "Zo", isActive: false),
                null, default)).User,
            (await Store.CreateAsync(NewUser("plain"), null, default)).User,
            (await Store.CreateAsync(NewUser("empty-nick", nickname: ""), null, default)).User,
        };
        Clock.Advance(TimeSpan.FromSeconds(1));
        created[1] = (await Store.UpdateAsync(created[1].Id, null, user => user with { FullName = "Plain Again" }, null, default))!;

        var listed = await ListAsync(null, UserOrder.ById);

        Assert.Equal(created.Count, listed.Count);
        foreach (var (expected, actual) in created.Zip(listed))
        {
            AssertSameUser(expected, actual);
            AssertSameUser(expected, await Store.GetAsync(actual.Id, default));
        }
    }

    [SkippableFact]
    public async Task A_large_listing_streams_every_user_once_in_id_order()
    {
        var ids = new List<long>();
        for (var batch = 0; batch < 3; batch++)
        {
            var results = await Store.CreateManyAsync(
                Items(Enumerable.Range(0, 700).Select(i => NewUser($"bulk{batch}-{i}")).ToArray()), default);
            ids.AddRange(results.Select(r => r.User!.Id));
        }

        var listed = await ListAsync(null, UserOrder.ById);

        Assert.Equal(ids.Order(), listed.Select(u => u.Id));
        Assert.Equal(ids.Order().Skip(1000).Take(500), (await ListAsync(null, offset: 1000, limit: 500)).Select(u => u.Id));
        Assert.Equal(700, (await ListAsync("username:bulk1-*")).Count);
    }

    [SkippableFact]
    public async Task A_listing_cancelled_midway_stops_with_cancellation()
    {
        await Store.CreateManyAsync(Items(Enumerable.Range(0, 50).Select(i => NewUser($"user{i}")).ToArray()), default);
        using var cancellation = new CancellationTokenSource();
        var seen = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var user in Store.ListAsync(null, UserOrder.ById, null, 0, 0, cancellation.Token))
            {
                if (++seen == 10)
                {
                    await cancellation.CancelAsync();
                }
            }
        });
        Assert.Equal(10, seen);

        // The store's reader went back to the pool in a usable state: the next listing sees everything.
        Assert.Equal(50, (await ListAsync(null, UserOrder.ById)).Count);
    }

    [SkippableTheory]
    [InlineData(UserOrderField.Id, false)]
    [InlineData(UserOrderField.Id, true)]
    [InlineData(UserOrderField.Username, false)]
    [InlineData(UserOrderField.Username, true)]
    [InlineData(UserOrderField.Email, false)]
    [InlineData(UserOrderField.Email, true)]
    [InlineData(UserOrderField.CreatedAt, false)]
    [InlineData(UserOrderField.CreatedAt, true)]
    public async Task Keyset_pages_follow_each_order_without_gaps_or_repeats(UserOrderField field, bool descending)
    {
        string[] names = ["mike", "Alpha", "zulu", "bravo", "Mike2", "charlie", "ECHO", "delta", "Foxtrot", "golf", "hotel"];
        var users = new List<UserRecord>();
        for (var i = 0; i < names.Length; i++)
        {
            // Every second user shares the previous one's created_at, so the id has to break ties.
            if (i % 2 == 0)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(1));
            }

            var email = $"{names[(i * 7) % names.Length]}{i}@example.com";
            users.Add((await Store.CreateAsync(NewUser(names[i], email), null, default)).User);
        }

        var order = new UserOrder(field, descending);
        var expected = Sort(users, order).Select(u => u.Id).ToList();

        Assert.Equal(expected, (await ListAsync(null, order)).Select(u => u.Id));

        var paged = new List<long>();
        UserPosition? after = null;
        while (true)
        {
            var page = await ListAsync(null, order, after, 0, 3);
            paged.AddRange(page.Select(u => u.Id));
            if (page.Count < 3)
            {
                break;
            }

            after = new UserPosition(SortValue(page[^1], field), page[^1].Id);
            Assert.True(paged.Count <= users.Count, "paging does not end");
        }

        Assert.Equal(expected, paged);
    }

    [SkippableFact]
    public async Task Keyset_paging_combines_with_a_filter()
    {
        var users = await SeedFourAsync();
        var filter = FilterParser.Parse("is_active = true");

        var after = new UserPosition(users[0].Id.ToString(CultureInfo.InvariantCulture), users[0].Id);
        var page = await ListAsync(filter, UserOrder.ById, after, 0, 10);

        Assert.Equal(["bob", "dave"], page.Select(u => u.Username));
    }

    [SkippableFact]
    public async Task Count_counts_every_match()
    {
        Assert.Equal(0, await Store.CountAsync(null, default));
        await SeedFourAsync();
        Assert.Equal(4, await Store.CountAsync(null, default));
        Assert.Equal(3, await Store.CountAsync(FilterParser.Parse("is_active = true"), default));
        Assert.Equal(0, await Store.CountAsync(FilterParser.Parse("username = nobody"), default));
    }

    [SkippableFact]
    public async Task List_is_consistent_with_the_in_memory_evaluator()
    {
        var users = await SeedVariedAsync();
        var t10 = Rfc3339(users[10].CreatedAt);
        var t20 = Rfc3339(users[20].CreatedAt);
        var updated = Rfc3339(users[5].UpdatedAt);
        string[] filters =
        [
            "username = USER07",
            "username != user07",
            "username:U*1",
            "username:*x*",
            "email:\"*@example.com\"",
            "email:\"*@EXAMPLE.*\"",
            "full_name:\"*an*\"",
            "full_name:\"*50% *\"",
            "full_name:\"*_*\"",
            "nickname = \"\"",
            "nickname:\"*K*\"",
            "nickname:\"n*\" OR NOT nickname = \"\"",
            "is_active = false",
            "roles:admin",
            "roles:\"d*\" -roles:ops",
            "-roles:admin AND is_active = true",
            $"created_at >= \"{t10}\" created_at < \"{t20}\"",
            $"created_at = \"{t10}\" OR updated_at > \"{updated}\"",
            $"updated_at != \"{updated}\"",
            "id <= 12 id > 3",
            "(username:u*1* OR username:x*) AND NOT roles:dev",
            "NOT (is_active = true OR roles:*) OR id = 1",
        ];

        foreach (var filter in filters)
        {
            var parsed = FilterParser.Parse(filter);
            var expected = users.Where(u => FilterEvaluator.Matches(parsed, u)).Select(u => u.Id).ToList();
            Assert.True(expected.Count > 0 && expected.Count < users.Count, $"{filter} should tell the users apart, but matches {expected.Count} of {users.Count}");
            var listed = (await ListAsync(parsed)).Select(u => u.Id).ToList();
            Assert.True(expected.SequenceEqual(listed), $"{filter}: evaluator [{string.Join(",", expected)}], store [{string.Join(",", listed)}]");
            Assert.Equal(expected.Count, await Store.CountAsync(parsed, default));
        }
    }

    /// <summary>
    /// Watch streams filter with <see cref="FilterEvaluator"/>, lists with the store: a user must match both or neither.
    /// </summary>
    [SkippableTheory]
    [InlineData("Émile Zola", "full_name = \"émile zola\"")]
    [InlineData("Émile Zola", "full_name:\"émile*\"")]
    [InlineData("ÅSA", "nickname = \"åsa\"")]
    public async Task List_and_evaluator_agree_on_case_folding_of_non_ascii_text(string value, string filter)
    {
        var user = (await Store.CreateAsync(NewUser("emile", fullName: value, nickname: value), null, default)).User;
        var parsed = FilterParser.Parse(filter);

        var evaluator = FilterEvaluator.Matches(parsed, user);
        var listed = (await ListAsync(parsed)).Count == 1;

        Assert.True(evaluator == listed, $"evaluator says {evaluator}, the store says {listed} for {filter} on '{value}'");
    }

    // ---- change log ---------------------------------------------------------------------------------

    [SkippableFact]
    public async Task The_change_log_records_every_change_in_order()
    {
        var alice = (await Store.CreateAsync(NewUser("alice", roles: ["dev"], nickname: "Ali"), null, default)).User;
        Clock.Advance(TimeSpan.FromSeconds(1));
        var bob = (await Store.CreateAsync(NewUser("bob", metadata: new Dictionary<string, string> { ["a"] = "b" }), null, default)).User;
        Clock.Advance(TimeSpan.FromSeconds(1));
        var alice2 = (await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "Alice II", Roles = ["ops"] }, null, default))!;
        Clock.Advance(TimeSpan.FromSeconds(1));
        var deletedAt = TruncateToMicros(Clock.GetUtcNow());
        await Store.DeleteAsync(bob.Id, null, default);

        var changes = await Store.ReadChangesAsync(0, 100, default);

        Assert.Equal([ChangeType.Created, ChangeType.Created, ChangeType.Updated, ChangeType.Deleted], changes.Select(c => c.Type));
        Assert.Equal(changes.Select(c => c.Revision).Order(), changes.Select(c => c.Revision));
        Assert.Equal(4, changes.Select(c => c.Revision).Distinct().Count());
        AssertSameUser(alice, changes[0].User);
        AssertSameUser(bob, changes[1].User);
        AssertSameUser(alice2, changes[2].User);
        AssertSameUser(bob, changes[3].User);
        Assert.Equal([alice.CreatedAt, bob.CreatedAt, alice2.UpdatedAt, deletedAt], changes.Select(c => c.Timestamp));
        Assert.Equal(changes[^1].Revision, await Store.GetRevisionAsync(default));
    }

    [SkippableFact]
    public async Task Reading_changes_pages_with_after_and_limit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.CreateAsync(NewUser($"user{i}"), null, default);
        }

        var all = await Store.ReadChangesAsync(0, 100, default);
        Assert.Equal(5, all.Count);

        var first = await Store.ReadChangesAsync(0, 2, default);
        Assert.Equal(all.Take(2).Select(c => c.Revision), first.Select(c => c.Revision));

        var rest = await Store.ReadChangesAsync(first[^1].Revision, 100, default);
        Assert.Equal(all.Skip(2).Select(c => c.Revision), rest.Select(c => c.Revision));
        Assert.Equal(["user2", "user3", "user4"], rest.Select(c => c.User.Username));

        Assert.Empty(await Store.ReadChangesAsync(all[^1].Revision, 100, default));
    }

    [SkippableFact]
    public async Task Revision_is_zero_for_a_new_store_and_grows_with_every_write()
    {
        Assert.Equal(0, await Store.GetRevisionAsync(default));
        Assert.Equal(0, Notifier.Latest);

        var alice = (await Store.CreateAsync(NewUser("alice"), null, default)).User;
        var r1 = await Store.GetRevisionAsync(default);
        Assert.True(r1 > 0);
        Assert.Equal(r1, Notifier.Latest);

        await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "x" }, null, default);
        var r2 = await Store.GetRevisionAsync(default);
        Assert.True(r2 > r1);
        Assert.Equal(r2, Notifier.Latest);

        await Store.DeleteAsync(alice.Id, null, default);
        var r3 = await Store.GetRevisionAsync(default);
        Assert.True(r3 > r2);
        Assert.Equal(r3, Notifier.Latest);

        await Store.CreateManyAsync(Items(NewUser("bob"), NewUser("carol")), default);
        var r4 = await Store.GetRevisionAsync(default);
        Assert.True(r4 > r3);
        Assert.Equal(r4, Notifier.Latest);
    }

    [SkippableFact]
    public async Task A_watcher_waiting_on_the_notifier_wakes_when_a_write_commits()
    {
        _ = Store;
        var waiter = Notifier.WaitBeyondAsync(Notifier.Latest, default);
        Assert.False(waiter.IsCompleted);

        await Store.CreateAsync(NewUser("alice"), null, default);

        await waiter.WaitAsync(Deadline);
        var changes = await Store.ReadChangesAsync(0, 10, default);
        Assert.Equal("alice", Assert.Single(changes).User.Username);
    }

    // ---- restart ------------------------------------------------------------------------------------

    [SkippableFact]
    public async Task Data_and_revision_survive_a_restart()
    {
        var first = Open(Notifier);
        var alice = (await first.CreateAsync(NewUser("alice", passwordHash: "hash", roles: ["admin"], nickname: "Ali"), "req-1", default)).User;
        var bob = (await first.CreateAsync(NewUser("bob"), null, default)).User;
        alice = (await first.UpdateAsync(alice.Id, null, u => u with { FullName = "Alice A" }, null, default))!;
        await first.DeleteAsync(bob.Id, null, default);
        var revision = await first.GetRevisionAsync(default);
        var changes = await first.ReadChangesAsync(0, 100, default);
        Close(first);

        var notifier = new ChangeNotifier();
        var second = Open(notifier);

        Assert.Equal(revision, notifier.Latest);
        Assert.Equal(revision, await second.GetRevisionAsync(default));
        AssertSameUser(alice, await second.GetAsync(alice.Id, default));
        Assert.Null(await second.GetAsync(bob.Id, default));
        Assert.Equal("hash", (await second.GetCredentialsAsync(alice.Id, default))?.PasswordHash);
        Assert.Equal(changes.Select(c => (c.Revision, c.Type, c.User.Id)), (await second.ReadChangesAsync(0, 100, default)).Select(c => (c.Revision, c.Type, c.User.Id)));

        var replay = await second.CreateAsync(NewUser("alice"), "req-1", default);
        Assert.True(replay.Replayed);
        await Assert.ThrowsAsync<UniqueViolationException>(() => second.CreateAsync(NewUser("ALICE", "x@example.com"), null, default));

        var carol = (await second.CreateAsync(NewUser("carol"), null, default)).User;
        Assert.True(carol.Id > bob.Id, "ids of deleted users are not handed out again");
        Assert.True(await second.GetRevisionAsync(default) > revision);
        Assert.Equal(await second.GetRevisionAsync(default), notifier.Latest);
    }

    [SkippableFact]
    public async Task Opening_a_store_again_and_again_keeps_working()
    {
        for (var i = 0; i < 3; i++)
        {
            var store = Open(new ChangeNotifier());
            await store.CreateAsync(NewUser($"user{i}"), null, default);
            Assert.Equal(i + 1, await store.CountAsync(null, default));
            Close(store);
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------

    protected IUserStore Open(ChangeNotifier notifier)
    {
        var created = CreateStore(notifier, Clock);
        opened.Add(created);
        ((IStoreInitializer)created).InitializeAsync(default).GetAwaiter().GetResult();
        return created;
    }

    protected void Close(IUserStore closing)
    {
        if (closing is IAsyncDisposable asyncDisposable)
        {
            asyncDisposable.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        else if (closing is IDisposable disposable)
        {
            disposable.Dispose();
        }

        if (ReferenceEquals(closing, store))
        {
            store = null;
        }

        opened.Remove(closing);
    }

    protected static NewUser NewUser(
        string username,
        string? email = null,
        string? fullName = null,
        IReadOnlyList<string>? roles = null,
        IReadOnlyDictionary<string, string>? metadata = null,
        string? nickname = null,
        bool isActive = true,
        string? passwordHash = null) =>
        new(username, email ?? $"{username.ToLowerInvariant()}@example.com", fullName ?? $"{username} Example", passwordHash,
            roles ?? [], metadata ?? new Dictionary<string, string>(), nickname, isActive);

    protected static void AssertSameUser(UserRecord expected, UserRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Id, actual.Id);
        Assert.Equal(expected.Username, actual.Username);
        Assert.Equal(expected.Email, actual.Email);
        Assert.Equal(expected.FullName, actual.FullName);
        Assert.Equal(expected.IsActive, actual.IsActive);
        Assert.Equal(expected.Roles, actual.Roles);
        Assert.Equal(expected.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal), actual.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(expected.Nickname, actual.Nickname);
        Assert.Equal(expected.CreatedAt, actual.CreatedAt);
        Assert.Equal(expected.UpdatedAt, actual.UpdatedAt);
        Assert.Equal(expected.Version, actual.Version);
        Assert.Equal(expected.Etag, actual.Etag);
    }

    protected static DateTimeOffset TruncateToMicros(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % 10), TimeSpan.Zero);

    private static string Rfc3339(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    private static string SortValue(UserRecord user, UserOrderField field) => field switch
    {
        UserOrderField.Username => user.Username.ToLowerInvariant(),
        UserOrderField.Email => user.Email.ToLowerInvariant(),
        UserOrderField.CreatedAt => ((user.CreatedAt.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10).ToString(CultureInfo.InvariantCulture),
        _ => user.Id.ToString(CultureInfo.InvariantCulture),
    };

    private static IEnumerable<UserRecord> Sort(IEnumerable<UserRecord> users, UserOrder order)
    {
        IOrderedEnumerable<UserRecord> sorted = order.Field switch
        {
            UserOrderField.Username => users.OrderBy(u => u.Username.ToLowerInvariant(), StringComparer.Ordinal),
            UserOrderField.Email => users.OrderBy(u => u.Email.ToLowerInvariant(), StringComparer.Ordinal),
            UserOrderField.CreatedAt => users.OrderBy(u => u.CreatedAt),
            _ => users.OrderBy(u => u.Id),
        };
        var ascending = sorted.ThenBy(u => u.Id).ToList();
        if (order.Descending)
        {
            ascending.Reverse();
        }

        return ascending;
    }

    private Task<List<UserRecord>> ListAsync(string filter) => ListAsync(FilterParser.Parse(filter));

    private async Task<List<UserRecord>> ListAsync(FilterExpression? filter, UserOrder? order = null, UserPosition? after = null, int offset = 0, int limit = 0)
    {
        var users = new List<UserRecord>();
        await foreach (var user in Store.ListAsync(filter, order ?? UserOrder.ById, after, offset, limit, default))
        {
            users.Add(user);
        }

        return users;
    }

    /// <summary>alice (admin, dev; nickname ""), bob (dev; "Bobby"), carol (inactive, example.org), dave (admin; "D").</summary>
    private async Task<List<UserRecord>> SeedFourAsync()
    {
        NewUser[] seed =
        [
            NewUser("alice", fullName: "Alice Anderson", roles: ["admin", "dev"], nickname: ""),
            NewUser("bob", fullName: "Bob Smith", roles: ["dev"], nickname: "Bobby"),
            NewUser("carol", "carol@example.org", "Carol Smith", isActive: false),
            NewUser("dave", fullName: "Dave Jones", roles: ["admin"], nickname: "D"),
        ];
        var users = new List<UserRecord>();
        foreach (var user in seed)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            users.Add((await Store.CreateAsync(user, null, default)).User);
        }

        return users;
    }

    /// <summary>30 users that differ in every filterable field, some of them updated afterwards.</summary>
    private async Task<List<UserRecord>> SeedVariedAsync()
    {
        string[][] roleSets = [[], ["admin"], ["dev"], ["dev", "ops"], ["Admin", "design"], ["ops"]];
        string[] domains = ["example.com", "Example.COM", "example.org", "mail.example.net"];
        string[] names = ["Ann Lee", "Dan Brown", "Eve 50% Off", "x_y Under", "Zoe", "Hannah Montana", "Bo"];
        var users = new List<UserRecord>();
        for (var i = 0; i < 30; i++)
        {
            if (i % 3 != 0)
            {
                Clock.Advance(TimeSpan.FromMilliseconds(250));
            }

            var username = i % 5 == 0 ? $"X{i:00}user" : (i % 2 == 0 ? $"User{i:00}" : $"user{i:00}");
            var nickname = (i % 4) switch
            {
                0 => null,
                1 => "",
                2 => $"Nick{i}",
                _ => "other",
            };
            users.Add((await Store.CreateAsync(
                NewUser(username, $"{username}@{domains[i % domains.Length]}", names[i % names.Length], roleSets[i % roleSets.Length],
                    nickname: nickname, isActive: i % 7 != 3),
                null, default)).User);
        }

        for (var i = 0; i < users.Count; i += 4)
        {
            Clock.Advance(TimeSpan.FromSeconds(1));
            users[i] = (await Store.UpdateAsync(users[i].Id, null, u => u with { FullName = u.FullName + " Jr" }, null, default))!;
        }

        return users;
    }
}
