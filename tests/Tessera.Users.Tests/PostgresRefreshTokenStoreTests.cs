using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Postgres;

namespace Tessera.Users.Tests;

/// <summary>The refresh-token contract on PostgreSQL, on the class's database emptied before each test.</summary>
public sealed class PostgresRefreshTokenStoreTests(PostgresDatabaseFixture fixture) : RefreshTokenStoreContract, IClassFixture<PostgresDatabaseFixture>
{
    private PostgresDatabase? database;

    protected override IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock) =>
        new PostgresUserStore((database ??= fixture.Fresh()).ConnectionString, notifier, clock);
}
