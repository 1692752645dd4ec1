using Microsoft.Data.Sqlite;
using Tessera.Users.Changes;
using Tessera.Users.Storage;

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
    public void A_database_from_a_newer_build_is_refused()
    {
        Close(Open(new ChangeNotifier()));
        Query($"INSERT INTO schema_migrations (version, applied_at) VALUES ({SqliteSchema.LatestVersion + 1}, 'later')");

        var error = Assert.Throws<InvalidOperationException>(() => new SqliteUserStore(DatabasePath, new ChangeNotifier(), Clock));
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
