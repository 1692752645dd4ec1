using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Users.Auth;
using Tessera.Users.Changes;
using Tessera.Contracts.User.V1;
using Tessera.Users.Filtering;

namespace Tessera.Users;

public sealed partial class UserService
{
    private const int ChangeReadBatch = 512;

    [Authorize(Roles = Roles.Admin)]
    public override async Task WatchUserChanges(WatchUserRequest request, IServerStreamWriter<UserEvent> responseStream, ServerCallContext context)
    {
        if (request.StartRevision < 0)
        {
            throw RpcErrors.InvalidArgument("start_revision", "must not be negative");
        }

        var filter = ParseFilter(request.Filter);
        using var cancellation = LinkToShutdown(context);
        var from = request.LiveOnly ? await store.GetRevisionAsync(context.CancellationToken) : request.StartRevision;
        try
        {
            // A watcher that is behind gets its changes in batches: written buffered, flushed once at each batch's end.
            await FollowChangesAsync(from, filter, (change, more, _) =>
            {
                responseStream.WriteOptions = more ? BufferedWrite : null;
                return responseStream.WriteAsync(ChangeEvents.For(change), context.CancellationToken);
            }, cancellation.Token);
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
    }

    /// <summary>
    /// Sends every change after <paramref name="revision"/> that matches the filter, in revision order, then
    /// follows new ones until cancelled. It reads the log itself, so nothing is skipped or sent twice. Changes are
    /// read in batches; <c>send</c> is told whether more of the batch follow (so it may buffer instead of flushing).
    /// </summary>
    private async Task FollowChangesAsync(long revision, FilterExpression? filter, Func<UserChange, bool, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = await store.ReadChangesAsync(revision, ChangeReadBatch, cancellationToken);
            if (changes.Count == 0)
            {
                await notifier.WaitBeyondAsync(revision, cancellationToken);
                continue;
            }

            var last = LastMatch(changes, filter);
            for (var i = 0; i <= last; i++)
            {
                if (FilterEvaluator.Matches(filter, changes[i].User))
                {
                    await send(changes[i], i < last, cancellationToken);
                }
            }

            revision = changes[^1].Revision;
        }
    }

    /// <summary>The index of the last change of <paramref name="changes"/> that the filter lets through; -1 when none does.</summary>
    private static int LastMatch(IReadOnlyList<UserChange> changes, FilterExpression? filter)
    {
        for (var i = changes.Count - 1; i >= 0; i--)
        {
            if (FilterEvaluator.Matches(filter, changes[i].User))
            {
                return i;
            }
        }

        return -1;
    }
}
