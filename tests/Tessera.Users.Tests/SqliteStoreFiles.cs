using Microsoft.Data.Sqlite;

namespace Tessera.Users.Tests;

/// <summary>A temporary directory for one test's SQLite database, deleted afterwards.</summary>
internal sealed class SqliteStoreFiles : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("tessera-users-tests-").FullName;

    public string DatabasePath => Path.Combine(directory, "tessera.db");

    public void Dispose()
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
