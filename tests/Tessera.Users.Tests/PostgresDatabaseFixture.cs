namespace Tessera.Users.Tests;

/// <summary>
/// One database for all the tests of a class (creating one per test would cost more than the tests): each test asks
/// for it <see cref="Fresh"/>, emptied of what the previous test left. Tests of a class run one after the other.
/// </summary>
public sealed class PostgresDatabaseFixture : IDisposable
{
    private PostgresDatabase? database;

    /// <summary>The database, empty; skips the test (fails it under CI) when there is no test server.</summary>
    public PostgresDatabase Fresh()
    {
        if (database is null)
        {
            database = new PostgresDatabase();
        }
        else
        {
            database.Reset();
        }

        return database;
    }

    public void Dispose() => database?.Dispose();
}
