using Microsoft.Data.Sqlite;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// The write path's statements on the writer connection, each compiled on first use and kept. Used only from the
/// group-commit loop, one write at a time, so it needs no lock.
/// </summary>
internal sealed class WriterStatements(SqliteConnection connection) : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> commands = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RawStatement> rawStatements = new(StringComparer.Ordinal);

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

    /// <summary>The statement for <paramref name="sql"/> bound by position (<see cref="RawStatement"/>), for the rows of bulk work.</summary>
    public RawStatement Raw(string sql)
    {
        if (!rawStatements.TryGetValue(sql, out var statement))
        {
            statement = new RawStatement(connection, sql);
            rawStatements[sql] = statement;
        }

        return statement;
    }

    public void Dispose()
    {
        foreach (var statement in rawStatements.Values)
        {
            statement.Dispose();
        }

        rawStatements.Clear();
        foreach (var command in commands.Values)
        {
            command.Dispose();
        }

        commands.Clear();
    }
}
