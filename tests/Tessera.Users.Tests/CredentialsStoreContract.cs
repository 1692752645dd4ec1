using Tessera.Users.Auth;
using Tessera.Users.Changes;
using Tessera.Users.Storage;

namespace Tessera.Users.Tests;

/// <summary>
/// The store's side of passwords and revocation, on every engine: security stamps, forced password changes, the last
/// admin. A store runs it by deriving from this class; everything is read through the store's interfaces, except
/// <see cref="ChangeLogContainsAsync"/>, which looks at the stored log itself.
/// </summary>
public abstract class CredentialsStoreContract : IDisposable
{
    private IUserStore? store;

    protected ManualClock Clock { get; } = new();

    private IUserStore Store => store ??= Open();

    protected abstract IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock);

    /// <summary>Whether any change-log row, as stored, contains <paramref name="text"/>.</summary>
    protected abstract Task<bool> ChangeLogContainsAsync(string text);

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing && store is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    [SkippableFact]
    public async Task The_stamp_grows_on_roles_deactivation_and_password_changes_but_not_on_other_edits()
    {
        var alice = await CreateAsync("alice", "hash-1");
        Assert.Equal(0, await StampAsync(alice.Id));

        await Store.UpdateAsync(alice.Id, null, u => u with { FullName = "Alice A.", Metadata = new Dictionary<string, string> { ["k"] = "v" } }, null, default);
        Assert.Equal(0, await StampAsync(alice.Id));

        await Store.UpdateAsync(alice.Id, null, u => u with { Roles = ["editor"] }, null, default);
        Assert.Equal(1, await StampAsync(alice.Id));

        await Store.UpdateAsync(alice.Id, null, u => u with { IsActive = false }, null, default);
        Assert.Equal(2, await StampAsync(alice.Id));

        // Reactivating revokes nothing: no token could be issued while deactivated.
        await Store.UpdateAsync(alice.Id, null, u => u with { IsActive = true }, null, default);
        Assert.Equal(2, await StampAsync(alice.Id));

        await Store.SetPasswordAsync(alice.Id, "hash-2", requireChange: false, default);
        Assert.Equal(3, await StampAsync(alice.Id));
    }

    [SkippableFact]
    public async Task SetPassword_stores_the_hash_and_the_forced_change_logs_a_change_and_never_logs_the_hash()
    {
        var alice = await CreateAsync("alice", "hash-1");
        var revision = await Store.GetRevisionAsync(default);

        var updated = await Store.SetPasswordAsync(alice.Id, "secret-hash-2", requireChange: true, default);

        var credentials = await Store.GetCredentialsAsync(alice.Id, default);
        Assert.Equal("secret-hash-2", credentials!.PasswordHash);
        Assert.True(credentials.PasswordChangeRequired);
        Assert.Equal(alice.Version + 1, updated!.Version);
        var change = Assert.Single(await Store.ReadChangesAsync(revision, 10, default));
        Assert.Equal(alice.Id, change.User.Id);
        Assert.DoesNotContain("secret-hash-2", change.User.ToProto().ToString(), StringComparison.Ordinal);
        Assert.False(await ChangeLogContainsAsync("secret-hash-2"));

        await Store.SetPasswordAsync(alice.Id, "hash-3", requireChange: false, default);
        Assert.False((await Store.GetCredentialsAsync(alice.Id, default))!.PasswordChangeRequired);
        Assert.Null(await Store.SetPasswordAsync(9999, "hash", false, default));
        Assert.Null(await Store.GetCredentialsAsync(9999, default));
    }

    [SkippableFact]
    public async Task The_last_active_admin_cannot_be_deleted_deactivated_or_demoted()
    {
        var admin = await CreateAsync("root", "hash", [Roles.Admin]);
        var inactiveAdmin = await CreateAsync("old-root", "hash", [Roles.Admin], isActive: false);

        await Assert.ThrowsAsync<LastAdminException>(() => Store.DeleteAsync(admin.Id, null, default));
        await Assert.ThrowsAsync<LastAdminException>(() => Store.UpdateAsync(admin.Id, null, u => u with { IsActive = false }, null, default));
        await Assert.ThrowsAsync<LastAdminException>(() => Store.UpdateAsync(admin.Id, null, u => u with { Roles = ["editor"] }, null, default));
        var unchanged = await Store.GetAsync(admin.Id, default);
        Assert.Equal(admin.Version, unchanged!.Version);
        Assert.True(unchanged.IsActive);
        Assert.Equal([Roles.Admin], unchanged.Roles);

        // Other edits of the last admin, and anything done to the inactive one, are fine.
        Assert.NotNull(await Store.UpdateAsync(admin.Id, null, u => u with { FullName = "Root", Roles = [Roles.Admin, "editor"] }, null, default));
        Assert.NotNull(await Store.DeleteAsync(inactiveAdmin.Id, null, default));

        var second = await CreateAsync("root2", "hash", [Roles.Admin]);
        Assert.NotNull(await Store.UpdateAsync(admin.Id, null, u => u with { Roles = [] }, null, default));
        await Assert.ThrowsAsync<LastAdminException>(() => Store.DeleteAsync(second.Id, null, default));
    }

    [SkippableFact]
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
                    await Store.UpdateAsync(other.Id, null, u => u with { IsActive = false }, null, default);
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
                Demotion.Delete => await Store.DeleteAsync(id, null, default),
                Demotion.Deactivate => await Store.UpdateAsync(id, null, u => u with { IsActive = false }, null, default),
                _ => await Store.UpdateAsync(id, null, u => u with { Roles = [] }, null, default),
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
        await foreach (var user in Store.ListAsync(null, UserOrder.ById, null, 0, 0, default))
        {
            if (user.IsActive && user.Roles.Contains(Roles.Admin))
            {
                admins.Add(user);
            }
        }

        return admins;
    }

    private async Task<UserRecord> CreateAsync(string username, string? hash, IReadOnlyList<string>? roles = null, bool isActive = true) =>
        (await Store.CreateAsync(
            new NewUser(username, $"{username}@example.com", username, hash, roles ?? [], new Dictionary<string, string>(), null, isActive),
            null,
            default)).User;

    private async Task<long> StampAsync(long id) => (await Store.GetCredentialsAsync(id, default))!.SecurityStamp;

    private IUserStore Open()
    {
        var opened = CreateStore(new ChangeNotifier(), Clock);
        ((IStoreInitializer)opened).InitializeAsync(default).GetAwaiter().GetResult();
        return opened;
    }
}
