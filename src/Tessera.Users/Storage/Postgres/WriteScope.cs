using Npgsql;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// One group commit's transaction as its writes see it: the writer connection, and the changes the writes made, in
/// order. The changes get their revisions only when the group commits (<see cref="PostgresChangeLog.CommitAsync"/>).
/// </summary>
internal sealed class WriteScope(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private readonly List<PendingChange> changes = [];
    private readonly List<NpgsqlBatchCommand> deferred = [];

    public NpgsqlConnection Connection => connection;

    public NpgsqlTransaction Transaction => transaction;

    public IReadOnlyList<PendingChange> Changes => changes;

    /// <summary>Statements that may wait for the commit's round trip (they run just before the change log's).</summary>
    public IReadOnlyList<NpgsqlBatchCommand> Deferred => deferred;

    /// <summary>Runs <paramref name="statement"/> with the commit instead of now (no one reads its effect before).</summary>
    public void Defer(NpgsqlBatchCommand statement) => deferred.Add(statement);

    /// <summary>Records a change of this transaction; its revision is set at commit.</summary>
    public PendingChange Append(ChangeType type, UserRecord user, DateTimeOffset at)
    {
        var change = new PendingChange(type, user, at);
        changes.Add(change);
        return change;
    }

    /// <summary>Whether a write's savepoint is set (and not yet released).</summary>
    public bool SavepointSet { get; set; }

    /// <summary>Where the change list stands, to <see cref="RollBackTo"/> when a savepoint is undone.</summary>
    public int Mark => changes.Count;

    public void RollBackTo(int mark) => changes.RemoveRange(mark, changes.Count - mark);
}
