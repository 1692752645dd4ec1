using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The write path's statements on the writer connection, each compiled on first use and kept. Used only from the
/// group-commit loop, one write at a time, so it needs no lock.
/// </summary>
internal sealed class WriterStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);

    /// <summary>The statement for <paramref name="sql"/>, in <paramref name="transaction"/>, with no parameters bound.</summary>
    public SqliteCommand Get(SqliteTransaction transaction, string sql)
    {
        if (!commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            commands[sql] = command;
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    public void Dispose()
    {
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
    }
}
