using Microsoft.Data.Sqlite;
using SQLitePCL;
using static SQLitePCL.raw;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// One statement of the write path compiled once on the writer connection and re-bound for every row, by position:
/// what the rows of a bulk create cost is then SQLite's own work. <see cref="SqliteCommand"/> binds by name on every
/// execution (a lookup per parameter, a reader per result), which was most of a row's cost. Errors are raised as
/// <see cref="SqliteException"/>, with SQLite's codes, as the provider raises them. Used only by the writer loop.
/// </summary>
internal sealed class RawStatement : IUserRow, IDisposable
{
    /// <summary>How long a read waits for a busy database: the connection string's default command timeout.</summary>
    public static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(30);

    private readonly sqlite3 database;
    private readonly sqlite3_stmt statement;

    public RawStatement(SqliteConnection connection, string sql)
    {
        database = connection.Handle ?? throw new InvalidOperationException("the connection is not open");
        var code = sqlite3_prepare_v2(database, sql, out statement);
        SqliteException.ThrowExceptionForRC(code, database);
    }

    public RawStatement Bind(int position, string? value)
    {
        Check(value is null ? sqlite3_bind_null(statement, position) : sqlite3_bind_text(statement, position, value));
        return this;
    }

    public RawStatement Bind(int position, long value)
    {
        Check(sqlite3_bind_int64(statement, position, value));
        return this;
    }

    /// <summary>Runs the statement; returns the first column of its first row (a RETURNING value), or null when it returns none.</summary>
    public long? Execute()
    {
        var code = sqlite3_step(statement);
        long? first = code == SQLITE_ROW ? sqlite3_column_int64(statement, 0) : null;
        while (code == SQLITE_ROW)
        {
            code = sqlite3_step(statement);
        }

        Finish(code);
        return first;
    }

    /// <summary>Runs the statement; returns the text of the first column of its first row, or null when there is none.</summary>
    public string? ExecuteText()
    {
        var code = sqlite3_step(statement);
        var text = code == SQLITE_ROW && sqlite3_column_type(statement, 0) != SQLITE_NULL ? sqlite3_column_text(statement, 0).utf8_to_string() : null;
        Finish(code == SQLITE_ROW ? SQLITE_DONE : code);
        return text;
    }

    /// <summary>Binds each of a command's named parameters to the same name here; as SqliteCommand does, one the SQL does not use is skipped.</summary>
    public RawStatement Bind(SqliteParameterCollection parameters)
    {
        foreach (SqliteParameter parameter in parameters)
        {
            var position = sqlite3_bind_parameter_index(statement, parameter.ParameterName);
            if (position == 0)
            {
                continue;
            }

            _ = parameter.Value switch
            {
                long value => Bind(position, value),
                int value => Bind(position, value),
                string value => Bind(position, value),
                null or DBNull => Bind(position, null),
                var other => throw new NotSupportedException($"parameter {parameter.ParameterName} is a {other.GetType().Name}"),
            };
        }

        return this;
    }

    /// <summary>
    /// Moves to the next row of a query; false once there is none. A database busy for a moment (another connection
    /// holding a lock) is waited for, up to <see cref="BusyTimeout"/>, as the provider's commands wait.
    /// </summary>
    public bool Step()
    {
        var code = sqlite3_step(statement);
        if (code is SQLITE_BUSY or SQLITE_LOCKED)
        {
            var waited = System.Diagnostics.Stopwatch.StartNew();
            while (code is SQLITE_BUSY or SQLITE_LOCKED && waited.Elapsed < BusyTimeout)
            {
                Thread.Sleep(1);
                code = sqlite3_step(statement);
            }
        }

        if (code == SQLITE_ROW)
        {
            return true;
        }

        Finish(code);
        return false;
    }

    public long Int64(int column) => sqlite3_column_int64(statement, column);

    public string Text(int column) => sqlite3_column_text(statement, column).utf8_to_string();

    public bool IsNull(int column) => sqlite3_column_type(statement, column) == SQLITE_NULL;

    public void Dispose() => statement.Dispose();

    /// <summary>Resets the statement for its next row; throws the step's own error (read before the reset) unless it finished.</summary>
    private void Finish(int code)
    {
        if (code == SQLITE_DONE)
        {
            sqlite3_reset(statement);
            return;
        }

        var extended = sqlite3_extended_errcode(database);
        var message = sqlite3_errmsg(database).utf8_to_string();
        sqlite3_reset(statement);
        throw new SqliteException($"SQLite Error {code}: '{message}'.", code, extended);
    }

    private void Check(int code)
    {
        if (code != SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(code, database);
        }
    }
}
