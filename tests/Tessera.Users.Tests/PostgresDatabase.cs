using Npgsql;

namespace Tessera.Users.Tests;

/// <summary>A database of its own on the test server (<see cref="TestPostgres"/>), with a random name; dropped when disposed.</summary>
public sealed class PostgresDatabase : IDisposable
{
    private readonly string admin;
    private readonly string name = $"tessera_test_{Guid.NewGuid():N}";

    /// <summary>Creates the database; skips the test (fails it under CI) when there is no test server.</summary>
    public PostgresDatabase()
    {
        admin = TestPostgres.AdminConnectionString;
        TestPostgres.Execute(admin, $"CREATE DATABASE {name}");
        ConnectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public string ConnectionString { get; }

    /// <summary>Empties every table of the store (keeping the schema), as if the database were new.</summary>
    public void Reset() => TestPostgres.Execute(ConnectionString, """
        DO $$ BEGIN
            IF to_regclass('users') IS NOT NULL THEN
                TRUNCATE users, user_changes, create_requests, refresh_tokens RESTART IDENTITY;
                ALTER SEQUENCE user_changes_revision RESTART;
            END IF;
        END $$
        """);

    public object? Execute(string sql) => TestPostgres.Execute(ConnectionString, sql);

    public List<string> Query(string sql) => TestPostgres.Query(ConnectionString, sql);

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        TestPostgres.Execute(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");
    }
}
