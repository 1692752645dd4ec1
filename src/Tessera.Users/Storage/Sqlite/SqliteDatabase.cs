using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The SQLite file and how it is opened: WAL, a full fsync at every commit (<c>synchronous = FULL</c>: an acknowledged
/// write survives a power cut, not only a crash), foreign keys, a busy timeout. One writer connection (the group-commit
/// writer's) migrates the schema when it opens; readers use pooled connections of their own.
/// </summary>
internal sealed class SqliteDatabase(string databasePath)
{
    public string ConnectionString { get; } = new SqliteConnectionStringBuilder
    {
        DataSource = databasePath,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = (int)RawStatement.BusyTimeout.TotalSeconds,
    }.ToString();

    /// <summary>Opens the writer connection and brings the schema up to date (<see cref="SqliteSchema"/>).</summary>
    public SqliteConnection OpenWriter()
    {
        var connection = new SqliteConnection(ConnectionString);
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; PRAGMA temp_store = MEMORY;");
            SqliteSchema.Apply(connection);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public async Task<SqliteConnection> OpenReaderAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <summary>A one-off statement in <paramref name="transaction"/> (the write path's frequent ones are in <see cref="WriterStatements"/>).</summary>
    public static SqliteCommand Command(SqliteTransaction transaction, string sql)
    {
        var command = transaction.Connection!.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
