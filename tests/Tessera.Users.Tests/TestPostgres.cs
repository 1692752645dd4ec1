using Npgsql;

namespace Tessera.Users.Tests;

/// <summary>
/// The PostgreSQL server tests run against: an admin connection string in TESSERA_TEST_POSTGRES (scripts/test starts
/// a throwaway cluster and sets it). When it is unset the test is skipped, except under CI=true, where it fails.
/// </summary>
internal static class TestPostgres
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
                Assert.False(Environment.GetEnvironmentVariable("CI") == "true", $"CI=true and PostgreSQL is missing: {message}");
                Skip.If(true, message);
            }

            return value!;
        }
    }

    /// <summary>Runs one statement on its own unpooled connection to <paramref name="connectionString"/>.</summary>
    public static object? Execute(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        return command.ExecuteScalar();
    }

    /// <summary>The first column of every row of <paramref name="sql"/>, as text.</summary>
    public static List<string> Query(string connectionString, string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture)!);
        }

        return rows;
    }
}
