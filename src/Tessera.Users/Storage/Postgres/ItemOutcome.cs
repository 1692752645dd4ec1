namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// What became of one create in a group: decided in memory while the group runs, completed when another item of
/// the group that it replays (<see cref="ReplayOf"/>) is settled, and given its revision at commit.
/// </summary>
internal sealed class ItemOutcome
{
    public BulkItemOutcome Outcome { get; set; }

    /// <summary>The user the item asked to create (set for items that try to create, not for replays).</summary>
    public NewUser? Request { get; set; }

    public UserRecord? User { get; set; }

    public string? ConflictField { get; set; }

    public PendingChange? Change { get; set; }

    /// <summary>The item of this group that first used the same request id, whose result this one replays.</summary>
    public ItemOutcome? ReplayOf { get; set; }

    public BulkItemResult ToResult() => Outcome switch
    {
        BulkItemOutcome.Created => new BulkItemResult(BulkItemOutcome.Created, User, Revision: Change!.Revision),
        BulkItemOutcome.Replayed => new BulkItemResult(BulkItemOutcome.Replayed, User),
        BulkItemOutcome.Conflict => new BulkItemResult(BulkItemOutcome.Conflict, ConflictField: ConflictField),
        _ => new BulkItemResult(BulkItemOutcome.RequestIdMismatch),
    };
}
