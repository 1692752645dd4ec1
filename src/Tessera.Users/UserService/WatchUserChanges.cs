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
            await FollowChangesAsync(from, filter, (change, _) => responseStream.WriteAsync(ChangeEvents.For(change), context.CancellationToken), cancellation.Token);
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
    }

    /// <summary>
    /// Sends every change after <paramref name="revision"/> that matches the filter, in revision order, then
    /// follows new ones until cancelled. It reads the log itself, so nothing is skipped or sent twice.
    /// </summary>
    private async Task FollowChangesAsync(long revision, FilterExpression? filter, Func<UserChange, CancellationToken, Task> send, CancellationToken cancellationToken)
    {
        while (true)
        {
            var changes = await store.ReadChangesAsync(revision, ChangeReadBatch, cancellationToken);
            if (changes.Count == 0)
            {
                await notifier.WaitBeyondAsync(revision, cancellationToken);
                continue;
            }

            foreach (var change in changes)
            {
                if (FilterEvaluator.Matches(filter, change.User))
                {
                    await send(change, cancellationToken);
                }

                revision = change.Revision;
            }
        }
    }
}
