using Microsoft.Data.Sqlite;
using Tessera.Users.Changes;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Users.Tests;

/// <summary>The credentials contract on SQLite, one database file per test.</summary>
public sealed class SqliteCredentialsStoreTests : CredentialsStoreContract
{
    private readonly SqliteStoreFiles files = new();

    protected override IUserStore CreateStore(ChangeNotifier notifier, TimeProvider clock) =>
        new SqliteUserStore(files.DatabasePath, notifier, clock);

    protected override async Task<bool> ChangeLogContainsAsync(string text)
    {
        await using var connection = new SqliteConnection($"Data Source={files.DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM user_changes WHERE instr(snapshot, $text) > 0)";
        command.Parameters.AddWithValue("$text", text);
        return (long)(await command.ExecuteScalarAsync())! == 1;
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            files.Dispose();
        }
    }
}
