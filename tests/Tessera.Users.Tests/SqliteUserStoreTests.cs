using Microsoft.Data.Sqlite;
using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Users.Tests;

/// <summary>The store contract on the embedded SQLite store, one database file per test, plus what only SQLite has.</summary>
public sealed class SqliteUserStoreTests : UserStoreContract
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-users-tests-").FullName;

    private string DatabasePath => Path.Combine(directory, "tessera.db");

    protected override IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock) =>
        new SqliteUserStore(DatabasePath, notifier, clock);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A file still held open must not fail the test; the temp directory is cleaned up eventually.
            }
        }
    }

    [Fact]
    public async Task Concurrent_creates_committed_together_fail_only_the_clashing_ones()
    {
        // Many writes at once share group commits; a clash inside a group must undo that write alone.
        var names = Enumerable.Range(0, 200).Select(i => $"user{i % 150}").ToList();
        var outcomes = await Task.WhenAll(names.Select(async name =>
        {
            try
            {
                return (await Store.CreateAsync(NewUser(name), null, default)).User.Username;
            }
            catch (UniqueViolationException)
            {
                return null;
            }
        }));

        Assert.Equal(150, outcomes.Count(name => name is not null));
        Assert.Equal(150, outcomes.Where(name => name is not null).Distinct().Count());
        Assert.Equal(["150"], Query("SELECT COUNT(*) FROM users"));
        Assert.Equal(["150"], Query("SELECT COUNT(*) FROM user_changes"));
        var changes = await Store.ReadChangesAsync(0, 1000, default);
        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), changes.Select(c => c.Revision));
    }

    [Fact]
    public async Task Recent_changes_read_from_memory_match_the_log_on_disk()
    {
        var alice = (await Store.CreateAsync(NewUser("alice", roles: ["dev"], metadata: new Dictionary<string, string> { ["team"] = "a" }), null, default)).User;
        await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "Alice A" }, null, default);
        await Store.DeleteAsync(alice.Id, null, default);
        var fromMemory = await Store.ReadChangesAsync(0, 10, default);

        using var reopened = new SqliteUserStore(DatabasePath, new ChangeNotifier(), TimeProvider.System);
        await reopened.InitializeAsync(default);
        var fromDisk = await reopened.ReadChangesAsync(0, 10, default);

        Assert.Equal(3, fromMemory.Count);
        Assert.Equal(
            fromDisk.Select(c => (c.Revision, c.Type, c.Timestamp, c.User.Username, c.User.FullName, c.User.Version, c.User.UpdatedAt, string.Join(",", c.User.Roles), string.Join(",", c.User.Metadata))),
            fromMemory.Select(c => (c.Revision, c.Type, c.Timestamp, c.User.Username, c.User.FullName, c.User.Version, c.User.UpdatedAt, string.Join(",", c.User.Roles), string.Join(",", c.User.Metadata))));
        Assert.Equal([], await Store.ReadChangesAsync(3, 10, default));
        Assert.Single(await Store.ReadChangesAsync(2, 10, default));
    }

    [Fact]
    public async Task The_password_hash_is_kept_out_of_the_change_and_request_logs()
    {
        const string hash = "AQAAAAIAA1rwAAAAEsecret-hash-value";
        var user = (await Store.CreateAsync(NewUser("alice", passwordHash: hash), "req-1", default)).User;
        await Store.UpdateAsync(user.Id, null, u => u with { FullName = "x" }, hash + "2", default);
        await Store.DeleteAsync(user.Id, null, default);

        var snapshots = Query("SELECT snapshot FROM user_changes UNION ALL SELECT snapshot FROM create_requests");

        Assert.Equal(4, snapshots.Count);
        Assert.All(snapshots, snapshot =>
        {
            Assert.Contains("alice", snapshot, StringComparison.Ordinal);
            Assert.DoesNotContain("secret-hash-value", snapshot, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void Migrations_run_once_however_often_the_store_is_opened()
    {
        for (var i = 0; i < 3; i++)
        {
            Close(Open(new ChangeNotifier()));
        }

        var versions = Query("SELECT version FROM schema_migrations ORDER BY version");
        Assert.Equal(Enumerable.Range(1, SqliteSchema.LatestVersion).Select(v => v.ToString(System.Globalization.CultureInfo.InvariantCulture)), versions);
    }

    [Fact]
    public async Task A_database_from_a_newer_build_is_refused()
    {
        Close(Open(new ChangeNotifier()));
        Query($"INSERT INTO schema_migrations (version, applied_at) VALUES ({SqliteSchema.LatestVersion + 1}, 'later')");

        using var newer = new SqliteUserStore(DatabasePath, new ChangeNotifier(), Clock);
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => newer.InitializeAsync(default));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_database_runs_in_wal_mode()
    {
        Close(Open(new ChangeNotifier()));
        Assert.Equal(["wal"], Query("PRAGMA journal_mode"));
    }

    private List<string> Query(string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
