namespace Tessera.Users.Storage.Postgres;

/// <summary>
/// A create or bulk create waiting for the next group commit. The creates of a group run together, set-based
/// (<see cref="BulkCreator"/>), without savepoints: a clash is learnt from <c>ON CONFLICT DO NOTHING</c>.
/// </summary>
internal sealed class PendingCreate(IReadOnlyList<BulkCreateItem> items, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken)
{
    private readonly TaskCompletionSource<IReadOnlyList<BulkItemResult>> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<BulkCreateItem> Items => items;

    /// <summary>One per item, set by <see cref="BulkCreator"/> in each attempt.</summary>
    public ItemOutcome[] Outcomes { get; set; } = [];

    public Task<IReadOnlyList<BulkItemResult>> Task => completion.Task;

    protected override void Complete() =>
        completion.TrySetResult([.. Outcomes.Select(outcome => outcome.ToResult())]);

    public override void Fail(Exception exception) => completion.TrySetException(exception);

    public override void Cancel() => completion.TrySetCanceled(CancellationToken);
}
