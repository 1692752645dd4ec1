using Microsoft.Data.Sqlite;
using Tessera.Users.Auth;
using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Users.Tests;

/// <summary>The store's side of passwords and revocation: security stamps, forced password changes, revoking every sign-in, the last admin.</summary>
public sealed class CredentialsStoreTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-credentials-tests-").FullName;
    private readonly ChangeNotifier notifier = new();
    private readonly SqliteUserStore store;

    public CredentialsStoreTests()
    {
        store = new SqliteUserStore(Path.Combine(directory, "tessera.db"), notifier, new ManualClock());
        store.InitializeAsync(default).GetAwaiter().GetResult();
    }

    public void Dispose()
    {
        store.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // cleaned up eventually
        }
    }

    [Fact]
    public async Task The_stamp_grows_on_roles_deactivation_and_password_changes_but_not_on_other_edits()
    {
        var alice = await CreateAsync("alice", "hash-1");
        Assert.Equal(0, await StampAsync(alice.Id));

        await store.UpdateAsync(alice.Id, null, u => u with { FullName = "Alice A.", Metadata = new Dictionary<string, string> { ["k"] = "v" } }, null, default);
        Assert.Equal(0, await StampAsync(alice.Id));

        await store.UpdateAsync(alice.Id, null, u => u with { Roles = ["editor"] }, null, default);
        Assert.Equal(1, await StampAsync(alice.Id));

        await store.UpdateAsync(alice.Id, null, u => u with { IsActive = false }, null, default);
        Assert.Equal(2, await StampAsync(alice.Id));

        // Reactivating revokes nothing: no token could be issued while deactivated.
        await store.UpdateAsync(alice.Id, null, u => u with { IsActive = true }, null, default);
        Assert.Equal(2, await StampAsync(alice.Id));

        await store.SetPasswordAsync(alice.Id, "hash-2", requireChange: false, default);
        Assert.Equal(3, await StampAsync(alice.Id));
    }

    [Fact]
    public async Task SetPassword_stores_the_hash_and_the_forced_change_logs_a_change_and_never_logs_the_hash()
    {
        var alice = await CreateAsync("alice", "hash-1");
        var revision = await store.GetRevisionAsync(default);

        var updated = await store.SetPasswordAsync(alice.Id, "secret-hash-2", requireChange: true, default);

        var credentials = await store.GetCredentialsAsync(alice.Id, default);
        Assert.Equal("secret-hash-2", credentials!.PasswordHash);
        Assert.True(credentials.PasswordChangeRequired);
        Assert.Equal(alice.Version + 1, updated!.Version);
        var change = Assert.Single(await store.ReadChangesAsync(revision, 10, default));
        Assert.Equal(alice.Id, change.User.Id);
        Assert.DoesNotContain("secret-hash-2", change.User.ToProto().ToString(), StringComparison.Ordinal);
        Assert.False(await LogContainsAsync("secret-hash-2"));

        await store.SetPasswordAsync(alice.Id, "hash-3", requireChange: false, default);
        Assert.False((await store.GetCredentialsAsync(alice.Id, default))!.PasswordChangeRequired);
        Assert.Null(await store.SetPasswordAsync(9999, "hash", false, default));
        Assert.Null(await store.GetCredentialsAsync(9999, default));
    }

    [Fact]
    public async Task RevokeAll_revokes_every_sign_in_of_the_user_and_no_one_elses()
    {
        var alice = await CreateAsync("alice", "hash");
        var bob = await CreateAsync("bob", "hash");
        var expires = DateTimeOffset.UtcNow.AddDays(30);
        await store.IssueAsync("a1", "family-a1", alice.Id, expires, default);
        await store.IssueAsync("a2", "family-a2", alice.Id, expires, default);
        await store.IssueAsync("b1", "family-b1", bob.Id, expires, default);

        Assert.Equal(2, await store.RevokeAllAsync(alice.Id, default));

        Assert.Equal(RotateOutcome.Reused, (await store.RotateAsync("a1", "a1-next", expires, default)).Outcome);
        Assert.Equal(RotateOutcome.Reused, (await store.RotateAsync("a2", "a2-next", expires, default)).Outcome);
        Assert.Equal(RotateOutcome.Rotated, (await store.RotateAsync("b1", "b1-next", expires, default)).Outcome);
    }

    [Fact]
    public async Task The_last_active_admin_cannot_be_deleted_deactivated_or_demoted()
    {
        var admin = await CreateAsync("root", "hash", [Roles.Admin]);
        var inactiveAdmin = await CreateAsync("old-root", "hash", [Roles.Admin], isActive: false);

        await Assert.ThrowsAsync<LastAdminException>(() => store.DeleteAsync(admin.Id, null, default));
        await Assert.ThrowsAsync<LastAdminException>(() => store.UpdateAsync(admin.Id, null, u => u with { IsActive = false }, null, default));
        await Assert.ThrowsAsync<LastAdminException>(() => store.UpdateAsync(admin.Id, null, u => u with { Roles = ["editor"] }, null, default));
        var unchanged = await store.GetAsync(admin.Id, default);
        Assert.Equal(admin.Version, unchanged!.Version);
        Assert.True(unchanged.IsActive);
        Assert.Equal([Roles.Admin], unchanged.Roles);

        // Other edits of the last admin, and anything done to the inactive one, are fine.
        Assert.NotNull(await store.UpdateAsync(admin.Id, null, u => u with { FullName = "Root", Roles = [Roles.Admin, "editor"] }, null, default));
        Assert.NotNull(await store.DeleteAsync(inactiveAdmin.Id, null, default));

        var second = await CreateAsync("root2", "hash", [Roles.Admin]);
        Assert.NotNull(await store.UpdateAsync(admin.Id, null, u => u with { Roles = [] }, null, default));
        await Assert.ThrowsAsync<LastAdminException>(() => store.DeleteAsync(second.Id, null, default));
    }

    [Fact]
    public async Task Of_two_concurrent_demotions_of_the_last_two_admins_exactly_one_succeeds()
    {
        for (var round = 0; round < 20; round++)
        {
            var first = await CreateAsync($"a{round}", null, [Roles.Admin]);
            var second = await CreateAsync($"b{round}", null, [Roles.Admin]);
            foreach (var other in await ActiveAdminsAsync())
            {
                if (other.Id != first.Id && other.Id != second.Id)
                {
                    await store.UpdateAsync(other.Id, null, u => u with { IsActive = false }, null, default);
                }
            }

            var outcomes = await Task.WhenAll(
                DemoteAsync(first.Id, round % 2 == 0 ? Demotion.Roles : Demotion.Delete),
                DemoteAsync(second.Id, round % 3 == 0 ? Demotion.Deactivate : Demotion.Roles));

            Assert.Equal(1, outcomes.Count(succeeded => succeeded));
            Assert.Single(await ActiveAdminsAsync());
        }
    }

    private enum Demotion
    {
        Roles,
        Deactivate,
        Delete,
    }

    private async Task<bool> DemoteAsync(long id, Demotion how)
    {
        try
        {
            _ = how switch
            {
                Demotion.Delete => await store.DeleteAsync(id, null, default),
                Demotion.Deactivate => await store.UpdateAsync(id, null, u => u with { IsActive = false }, null, default),
                _ => await store.UpdateAsync(id, null, u => u with { Roles = [] }, null, default),
            };
            return true;
        }
        catch (LastAdminException)
        {
            return false;
        }
    }

    private async Task<List<UserRecord>> ActiveAdminsAsync()
    {
        var admins = new List<UserRecord>();
        await foreach (var user in store.ListAsync(null, UserOrder.ById, null, 0, 0, default))
        {
            if (user.IsActive && user.Roles.Contains(Roles.Admin))
            {
                admins.Add(user);
            }
        }

        return admins;
    }

    private async Task<UserRecord> CreateAsync(string username, string? hash, IReadOnlyList<string>? roles = null, bool isActive = true) =>
        (await store.CreateAsync(
            new NewUser(username, $"{username}@example.com", username, hash, roles ?? [], new Dictionary<string, string>(), null, isActive),
            null,
            default)).User;

    private async Task<long> StampAsync(long id) => (await store.GetCredentialsAsync(id, default))!.SecurityStamp;

    private async Task<bool> LogContainsAsync(string text)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(directory, "tessera.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM user_changes WHERE instr(snapshot, $text) > 0)";
        command.Parameters.AddWithValue("$text", text);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }
}
