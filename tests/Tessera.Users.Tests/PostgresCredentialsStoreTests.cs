using Npgsql;
using Tessera.Users.Auth;
using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Postgres;

namespace Tessera.Users.Tests;

/// <summary>The credentials contract on PostgreSQL, plus the last-admin guard across replicas.</summary>
public sealed class PostgresCredentialsStoreTests(PostgresDatabaseFixture fixture) : CredentialsStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase? database;

    private PostgresDatabase Database => database ??= fixture.Fresh();

    protected override IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock) =>
        new PostgresUserStore(Database.ConnectionString, notifier, clock);

    protected override async Task<bool> ChangeLogContainsAsync(string text)
    {
        await using var connection = new NpgsqlConnection(Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM user_changes WHERE strpos(snapshot, $1) > 0)", connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = text });
        return (bool)(await command.ExecuteScalarAsync())!;
    }

    [SkippableFact]
    public async Task Two_replicas_demoting_the_last_two_admins_at_once_leave_exactly_one()
    {
        await using var a = await OpenAsync();
        await using var b = await OpenAsync();
        UserRecord? survivor = null;
        for (var round = 0; round < 10; round++)
        {
            var x = (await a.CreateAsync(Admin($"x{round}"), null, default)).User;
            var y = (await b.CreateAsync(Admin($"y{round}"), null, default)).User;
            if (survivor is not null)
            {
                await a.UpdateAsync(survivor.Id, null, u => u with { IsActive = false }, null, default);
            }

            var outcomes = await Task.WhenAll(DemoteAsync(a, x.Id), DemoteAsync(b, y.Id));

            Assert.Equal(1, outcomes.Count(demoted => demoted));
            survivor = outcomes[0] ? y : x;
            Assert.Equal([Roles.Admin], (await a.GetCredentialsAsync(survivor.Id, default))!.User.Roles);
        }
    }

    private async Task<PostgresUserStore> OpenAsync()
    {
        var store = new PostgresUserStore(Database.ConnectionString, new ChangeNotifier(), Clock);
        await store.InitializeAsync(default);
        return store;
    }

    private static NewUser Admin(string username) =>
        new(username, $"{username}@example.com", username, null, [Roles.Admin], new Dictionary<string, string>(), null, true);

    private static async Task<bool> DemoteAsync(IUserStore store, long id)
    {
        try
        {
            await store.UpdateAsync(id, null, u => u with { Roles = [] }, null, default);
            return true;
        }
        catch (LastAdminException)
        {
            return false;
        }
    }
}
