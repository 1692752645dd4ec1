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
internal sealed class RawStatement : IDisposable
{
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
