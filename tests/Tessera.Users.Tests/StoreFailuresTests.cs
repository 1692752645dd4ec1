using System.Data.Common;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Tessera.Users.Storage;

namespace Tessera.Users.Tests;

/// <summary>Which store failures become UNAVAILABLE (retry later) and which INTERNAL (a retry repeats them).</summary>
public sealed class StoreFailuresTests
{
    [Theory]
    [InlineData(5, 5, true)] // SQLITE_BUSY
    [InlineData(10, 10, true)] // SQLITE_IOERR
    [InlineData(13, 13, true)] // SQLITE_FULL
    [InlineData(14, 14, true)] // SQLITE_CANTOPEN
    [InlineData(8, 8 | (4 << 8), true)] // SQLITE_READONLY_DBMOVED: the file was removed under the server
    [InlineData(19, 2067, false)] // SQLITE_CONSTRAINT_UNIQUE the code did not expect
    [InlineData(1, 1, false)] // SQLITE_ERROR: a syntax error
    [InlineData(11, 11, false)] // SQLITE_CORRUPT
    public void Sqlite_errors_are_told_apart_by_their_result_code(int code, int extendedCode, bool transient)
    {
        Assert.Equal(transient, StoreFailures.IsTransient(new SqliteException("message text is never read", code, extendedCode)));
    }

    [Theory]
    [InlineData("08006", true)] // connection_failure
    [InlineData("57P01", true)] // admin_shutdown
    [InlineData("57P03", true)] // cannot_connect_now
    [InlineData("53300", true)] // too_many_connections
    [InlineData("40001", true)] // serialization_failure
    [InlineData("23505", false)] // unique_violation
    [InlineData("42601", false)] // syntax_error
    [InlineData("42P01", false)] // undefined_table
    public void Postgres_errors_are_told_apart_by_their_sqlstate(string sqlState, bool transient)
    {
        Assert.Equal(transient, StoreFailures.IsTransient(new FakeDbException(sqlState)));
    }

    [Fact]
    public void A_provider_error_without_a_sqlstate_is_transient_when_the_network_or_a_timeout_caused_it()
    {
        Assert.True(StoreFailures.IsTransient(new FakeDbException(null, new SocketException((int)SocketError.ConnectionRefused))));
        Assert.True(StoreFailures.IsTransient(new FakeDbException(null, new TimeoutException())));
        Assert.True(StoreFailures.IsTransient(new TimeoutException()));
        Assert.False(StoreFailures.IsTransient(new FakeDbException(null)));
        Assert.False(StoreFailures.IsTransient(new InvalidOperationException()));
    }

    [Theory]
    [InlineData(13, 13, true, true)] // SQLITE_FULL
    [InlineData(10, 10 | (3 << 8), false, true)] // SQLITE_IOERR_WRITE
    [InlineData(8, 8, false, true)] // SQLITE_READONLY
    [InlineData(5, 5, false, false)] // SQLITE_BUSY: another connection, not the disk
    [InlineData(11, 11, false, false)] // SQLITE_CORRUPT: damage, not a fault that clears
    public void Sqlite_disk_faults_are_told_from_other_failures(int code, int extendedCode, bool full, bool diskFault)
    {
        var exception = new SqliteException("message text is never read", code, extendedCode);
        Assert.Equal(full, StoreFailures.IsDiskFull(exception));
        Assert.Equal(diskFault, StoreFailures.IsDiskFault(exception));
    }

    [Theory]
    [InlineData("53100", true, true)] // disk_full
    [InlineData("58030", false, true)] // io_error
    [InlineData("53200", false, false)] // out_of_memory
    [InlineData("08006", false, false)] // connection_failure
    public void Postgres_disk_faults_are_told_from_other_failures(string sqlState, bool full, bool diskFault)
    {
        Assert.Equal(full, StoreFailures.IsDiskFull(new FakeDbException(sqlState)));
        Assert.Equal(diskFault, StoreFailures.IsDiskFault(new FakeDbException(sqlState)));
    }

    private sealed class FakeDbException(string? sqlState, Exception? inner = null) : DbException("provider message", inner)
    {
        public override string? SqlState => sqlState;
    }
}
