using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>
/// Changes in memory, numbered from 1, and a signal that fires when one is added: the least a watch needs (no store,
/// no filter, no interceptors), so the platform's own cost of idle streams and of fan-out can be measured.
/// </summary>
public sealed class ChangeLog
{
    private readonly Lock gate = new();
    private readonly List<UserEvent> events = [];
    private TaskCompletionSource added = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public long Append(User user)
    {
        TaskCompletionSource fired;
        long revision;
        lock (gate)
        {
            revision = events.Count + 1;
            events.Add(new UserEvent { Type = UserEvent.Types.EventType.Created, User = user, Revision = revision, Timestamp = Timestamp.FromDateTime(DateTime.UtcNow) });
            fired = added;
            added = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        fired.TrySetResult();
        return revision;
    }

    /// <summary>The changes after <paramref name="revision"/>, waiting for one when there are none.</summary>
    public async Task<UserEvent[]> ReadAfterAsync(long revision, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task next;
            lock (gate)
            {
                if (events.Count > revision)
                {
                    return [.. events.Skip((int)revision)];
                }

                next = added.Task;
            }

            await next.WaitAsync(cancellationToken);
        }
    }
}
