using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using static SQLitePCL.raw;

namespace Tessera.Users.Storage;

/// <summary>
/// Which store failures are worth retrying: the database could not be reached or was busy, full or shutting down,
/// and the same call can succeed later (gRPC UNAVAILABLE). Everything else (a constraint the code did not expect, a
/// syntax error, a corrupt file) is a bug or damage that a retry repeats (INTERNAL). Decided from the providers'
/// typed codes (SQLite result codes, PostgreSQL SQLSTATE), never from message text.
/// </summary>
public static class StoreFailures
{
    public static bool IsTransient(Exception exception) => exception switch
    {
        SqliteException sqlite => IsTransientSqlite(sqlite.SqliteErrorCode),
        DbException { SqlState: { Length: 5 } state } db => IsTransientSqlState(state) || db.IsTransient,
        DbException db => db.IsTransient || db.InnerException is IOException or SocketException or TimeoutException,
        TimeoutException => true,
        _ => false,
    };

    /// <summary>
    /// Whether the store failed because its disk did: full, read-only, or an I/O error (SQLite's SQLITE_FULL,
    /// SQLITE_READONLY, SQLITE_IOERR; PostgreSQL's disk_full 53100 and io_error 58030). Such a fault lasts until the
    /// disk is fixed, so the server reports it in its health and logs it once (Tessera.Server's StoreFaults).
    /// </summary>
    public static bool IsDiskFault(Exception exception) => IsDiskFull(exception) || exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode is SQLITE_READONLY or SQLITE_IOERR,
        DbException { SqlState: "58030" } => true,
        _ => false,
    };

    /// <summary>Whether the store's disk is full (SQLITE_FULL; PostgreSQL's disk_full, 53100).</summary>
    public static bool IsDiskFull(Exception exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteErrorCode == SQLITE_FULL,
        DbException { SqlState: "53100" } => true,
        _ => false,
    };

    /// <summary>
    /// SQLite primary result codes that a later attempt can get past: another connection holds a lock, memory or disk
    /// ran out, the file cannot be opened, read or written (moved, removed, made read-only, an I/O error).
    /// </summary>
    private static bool IsTransientSqlite(int code) =>
        code is SQLITE_BUSY or SQLITE_LOCKED or SQLITE_NOMEM or SQLITE_READONLY or SQLITE_IOERR or SQLITE_FULL or SQLITE_CANTOPEN;

    /// <summary>
    /// PostgreSQL SQLSTATEs of the same kind: class 08 (connection exception), class 53 (insufficient resources:
    /// disk full, out of memory, too many connections), class 57P (the server is shutting down, crashed, or not yet
    /// accepting connections), and the two a retried transaction gets past (serialization failure, deadlock).
    /// </summary>
    private static bool IsTransientSqlState(string state) =>
        state.StartsWith("08", StringComparison.Ordinal)
        || state.StartsWith("53", StringComparison.Ordinal)
        || state.StartsWith("57P", StringComparison.Ordinal)
        || state is "40001" or "40P01";
}
