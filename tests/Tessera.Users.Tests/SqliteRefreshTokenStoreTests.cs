using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Users.Tests;

/// <summary>The refresh-token contract on SQLite, one database file per test.</summary>
public sealed class SqliteRefreshTokenStoreTests : RefreshTokenStoreContract
{
    private readonly SqliteStoreFiles files = new();

    protected override IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock) =>
        new SqliteUserStore(files.DatabasePath, notifier, clock);

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            files.Dispose();
        }
    }
}
