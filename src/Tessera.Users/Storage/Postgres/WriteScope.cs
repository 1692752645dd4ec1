using Npgsql;

namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// One group commit's transaction as its writes see it: the writer connection, and the changes the writes made, in
/// order. The changes get their revisions only when the group is about to commit (<see cref="PostgresChangeLog.AppendAsync"/>).
/// </summary>
internal sealed class WriteScope(NpgsqlConnection connection, NpgsqlTransaction transaction)
{
    private readonly List<PendingChange> changes = [];

    public NpgsqlConnection Connection => connection;

    public NpgsqlTransaction Transaction => transaction;

    public IReadOnlyList<PendingChange> Changes => changes;

    /// <summary>Records a change of this transaction; its revision is set at commit.</summary>
    public PendingChange Append(ChangeType type, UserRecord user, DateTimeOffset at)
    {
        var change = new PendingChange(type, user, at);
        changes.Add(change);
        return change;
    }

    /// <summary>Where the change list stands, to <see cref="RollBackTo"/> when a savepoint is undone.</summary>
    public int Mark => changes.Count;

    public void RollBackTo(int mark) => changes.RemoveRange(mark, changes.Count - mark);
}
