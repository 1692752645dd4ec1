namespace Tessera.Users.Storage;

/// <summary>
/// How every engine keeps time: whole microseconds since the Unix epoch, UTC (what PostgreSQL's timestamptz holds, and
/// an INTEGER in SQLite). A time is cut to the microsecond before it is stored or returned, so what a caller gets back
/// equals what a later read gives.
/// </summary>
public static class StoreTime
{
    public static long ToMicros(DateTimeOffset time) => (time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10;

    public static DateTimeOffset FromMicros(long micros) => DateTimeOffset.UnixEpoch.AddTicks(micros * 10);

    /// <summary>The time as a store keeps it: cut to the microsecond, in UTC.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset time) => FromMicros(ToMicros(time));
}
