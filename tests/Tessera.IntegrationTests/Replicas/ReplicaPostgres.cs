using Npgsql;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>
/// The PostgreSQL server the replica tests run against: its admin connection string is in TESSERA_TEST_POSTGRES
/// (scripts/test starts a throwaway cluster and sets it). Unset, the test is skipped, except under CI=true, where it fails.
/// </summary>
internal static class ReplicaPostgres
{
    public const string Variable = "TESSERA_TEST_POSTGRES";

    public static string AdminConnectionString
    {
        get
        {
            var value = Environment.GetEnvironmentVariable(Variable);
            if (string.IsNullOrWhiteSpace(value))
            {
                var message = $"{Variable} is unset; start a throwaway server with scripts/postgres start and set {Variable} to the connection string it prints";
                Assert.False(Peers.InCi, $"CI=true and PostgreSQL is missing: {message}");
                Skip.If(true, message);
            }

            return value!;
        }
    }

    /// <summary>Creates an empty database on the server of <paramref name="admin"/> and returns a connection string to it.</summary>
    public static async Task<string> CreateDatabaseAsync(string admin, string name)
    {
        await ExecuteAsync(admin, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    public static Task DropDatabaseAsync(string admin, string name) => ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {name} WITH (FORCE)");

    /// <summary>Runs one statement on its own unpooled connection and returns the first column of the first row.</summary>
    public static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
