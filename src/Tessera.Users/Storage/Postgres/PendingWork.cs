namespace Tessera.Users.Storage.Postgres;

/// <summary>A write with a result, run in its own savepoint so that its failure undoes it alone.</summary>
internal sealed class PendingWork<T>(Func<WriteScope, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    : PendingWrite(cancellationToken), IRunsAlone
{
    private readonly TaskCompletionSource<T> completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T result = default!;

    public Task<T> Task => completion.Task;

    public async Task RunAsync(WriteScope scope) => result = await work(scope, CancellationToken);

    protected override void Complete() => completion.TrySetResult(result);

    public override void Fail(Exception exception) => completion.TrySetException(exception);

    public override void Cancel() => completion.TrySetCanceled(CancellationToken);
}
