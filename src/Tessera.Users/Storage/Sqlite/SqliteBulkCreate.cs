using Microsoft.Data.Sqlite;
using Tessera.Users.Filtering;

namespace Tessera.Users.Storage.Sqlite;

/// <summary>
/// BulkCreateUsers' chunks, in one write of the group commit: the request log, the usernames and the emails of the
/// whole chunk are looked up in three queries, every item is then decided in memory in item order (exactly as
/// creating them one after the other would decide them: a clash with a committed user or with an earlier item of the
/// chunk fails that item alone, a used request id replays or is refused), and only the users that will be created are
/// inserted, row by row through statements compiled once (<see cref="RawStatement"/>), without a savepoint each.
/// Revisions follow item order.
/// </summary>
public sealed partial class SqliteUserStore
{
    public Task<IReadOnlyList<BulkItemResult>> CreateManyAsync(IReadOnlyList<BulkCreateItem> items, CancellationToken cancellationToken) =>
        groupWriter.WriteAsync(transaction => CreateMany(transaction, items), cancellationToken);

    private (IReadOnlyList<BulkItemResult> Results, long Revision) CreateMany(SqliteTransaction transaction, IReadOnlyList<BulkCreateItem> items)
    {
        var keys = new (string Username, string Email)[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            keys[i] = (FilterEvaluator.Fold(items[i].User.Username), FilterEvaluator.Fold(items[i].User.Email));
        }

        var log = requests.FindMany(transaction, items.Select(item => item.RequestId).OfType<string>());
        var usernames = SqliteUserRows.FindTaken(statements, transaction, "username_key", keys.Select(key => key.Username));
        var emails = SqliteUserRows.FindTaken(statements, transaction, "email_key", keys.Select(key => key.Email));
        var now = Now();
        var results = new BulkItemResult[items.Count];
        var revision = 0L;
        for (var i = 0; i < items.Count; i++)
        {
            var (user, requestId, replayOnly) = items[i];
            if (requestId is not null && log.TryGetValue(requestId, out var earlier))
            {
                results[i] = SameNames(earlier, user)
                    ? new BulkItemResult(BulkItemOutcome.Replayed, earlier)
                    : new BulkItemResult(BulkItemOutcome.RequestIdMismatch);
                continue;
            }

            if (replayOnly)
            {
                // The caller skipped hashing the password because this request id was used; the log is never pruned.
                throw new InvalidOperationException($"request id '{requestId}' was reported used but is not in the log");
            }

            var (usernameKey, emailKey) = keys[i];
            if (usernames.Contains(usernameKey) || emails.Contains(emailKey))
            {
                results[i] = new BulkItemResult(BulkItemOutcome.Conflict, ConflictField: usernames.Contains(usernameKey) ? "username" : "email");
                continue;
            }

            var (created, itemRevision) = Insert(user, usernameKey, emailKey, requestId, now);
            usernames.Add(usernameKey);
            emails.Add(emailKey);
            if (requestId is not null)
            {
                log[requestId] = created;
            }

            revision = itemRevision;
            results[i] = new BulkItemResult(BulkItemOutcome.Created, created, Revision: itemRevision);
        }

        return (results, revision);
    }

    /// <summary>A replay is a create with the same username and email, compared case-insensitively.</summary>
    private static bool SameNames(UserRecord earlier, NewUser user) =>
        string.Equals(earlier.Username, user.Username, StringComparison.OrdinalIgnoreCase)
        && string.Equals(earlier.Email, user.Email, StringComparison.OrdinalIgnoreCase);
}
