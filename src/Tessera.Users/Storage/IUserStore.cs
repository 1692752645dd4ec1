using Tessera.Users.Filtering;

namespace Tessera.Users.Storage;

/// <summary>
/// The user directory's storage. Every write also appends to the change log in the same transaction,
/// and the revision it gets is what watchers resume from. Implementations: SQLite (embedded default) and PostgreSQL
/// (shared by replicas), both under Storage/.
/// </summary>
public interface IUserStore
{
    /// <summary>Creates a user. With a request id, a repeat returns the first result (and <c>Replayed</c> is true).</summary>
    /// <exception cref="UniqueViolationException">username or email is taken.</exception>
    /// <exception cref="RequestIdMismatchException">the request id was used for a different user.</exception>
    Task<CreateResult> CreateAsync(NewUser user, string? requestId, CancellationToken cancellationToken);

    /// <summary>
    /// Creates each item independently, committing them together; one failure does not affect the others. An item's
    /// request id is honoured exactly as <see cref="CreateAsync"/> honours it (the same log), including a request id
    /// repeated within <paramref name="items"/>: one result per item, in order.
    /// </summary>
    Task<IReadOnlyList<BulkItemResult>> CreateManyAsync(IReadOnlyList<BulkCreateItem> items, CancellationToken cancellationToken);

    /// <summary>
    /// Those of <paramref name="requestIds"/> that a create has already used. A used request id stays used (the log
    /// is never pruned), so an item with one can only replay or be rejected: its password need not be hashed.
    /// </summary>
    Task<IReadOnlySet<string>> FindUsedRequestIdsAsync(IReadOnlyCollection<string> requestIds, CancellationToken cancellationToken);

    Task<UserRecord?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Reads, changes and writes one user atomically. Null when the user does not exist. Changing the roles,
    /// deactivating or setting a password advances the user's security stamp (their access tokens stop working).
    /// </summary>
    /// <exception cref="EtagMismatchException">expectedEtag was given and is stale.</exception>
    /// <exception cref="UniqueViolationException">the change clashes with another user.</exception>
    /// <exception cref="LastAdminException">the change would deactivate or demote the last active admin.</exception>
    Task<UserRecord?> UpdateAsync(long id, string? expectedEtag, Func<UserRecord, UserRecord> change, string? newPasswordHash, CancellationToken cancellationToken);

    /// <summary>Deletes one user. Null when the user does not exist.</summary>
    /// <exception cref="LastAdminException">the user is the last active admin.</exception>
    Task<UserRecord?> DeleteAsync(long id, string? expectedEtag, CancellationToken cancellationToken);

    /// <summary>Streams the users matching the filter in id order, from the store, without buffering them all.</summary>
    IAsyncEnumerable<UserRecord> ListAsync(FilterExpression? filter, UserOrder order, UserPosition? after, int offset, int limit, CancellationToken cancellationToken);

    Task<int> CountAsync(FilterExpression? filter, CancellationToken cancellationToken);

    /// <summary>The changes with a revision greater than <paramref name="afterRevision"/>, oldest first.</summary>
    Task<IReadOnlyList<UserChange>> ReadChangesAsync(long afterRevision, int limit, CancellationToken cancellationToken);

    /// <summary>The newest committed revision (0 when nothing has changed yet).</summary>
    Task<long> GetRevisionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Commits a write that changes no data and no revision, to learn whether the store can write now (the health
    /// check's probe once a write failed on a full or read-only disk). Throws what a real write would.
    /// </summary>
    Task ProbeWriteAsync(CancellationToken cancellationToken);

    /// <summary>A user with their password hash, security stamp and forced-change flag, read at one moment; null when the user does not exist.</summary>
    Task<Credentials?> GetCredentialsAsync(long id, CancellationToken cancellationToken);

    /// <summary>
    /// Sets a user's password hash and whether they must change it at their next sign-in, advancing their security
    /// stamp (their access tokens stop working) and logging the change. Null when the user does not exist.
    /// </summary>
    Task<UserRecord?> SetPasswordAsync(long id, string passwordHash, bool requireChange, CancellationToken cancellationToken);

    /// <summary>The user whose username or email is <paramref name="login"/> (case-insensitive), or null.</summary>
    Task<UserRecord?> FindByLoginAsync(string login, CancellationToken cancellationToken);
}

public sealed record CreateResult(UserRecord User, bool Replayed);

/// <summary>
/// One item of a bulk create. <paramref name="ReplayOnly"/>: its request id was found used
/// (<see cref="IUserStore.FindUsedRequestIdsAsync"/>), so <paramref name="User"/> carries no password hash and the
/// item must replay or be rejected, never create.
/// </summary>
public sealed record BulkCreateItem(NewUser User, string? RequestId, bool ReplayOnly = false);

/// <summary>What became of one item of a bulk create.</summary>
public enum BulkItemOutcome
{
    /// <summary>A new user: <see cref="BulkItemResult.User"/> and its change <see cref="BulkItemResult.Revision"/>.</summary>
    Created,

    /// <summary>The request id had already created this user: <see cref="BulkItemResult.User"/> is that first result; nothing was written.</summary>
    Replayed,

    /// <summary>The username or email is taken: <see cref="BulkItemResult.ConflictField"/> says which.</summary>
    Conflict,

    /// <summary>The request id was already used for a different user; nothing was written.</summary>
    RequestIdMismatch,
}

/// <summary>The outcome of one item of a bulk create.</summary>
public sealed record BulkItemResult(BulkItemOutcome Outcome, UserRecord? User = null, string? ConflictField = null, long Revision = 0);

/// <summary>Sort keys for listing; the id is always the tie-breaker.</summary>
public enum UserOrderField
{
    Id,
    Username,
    Email,
    CreatedAt,
}

public sealed record UserOrder(UserOrderField Field, bool Descending)
{
    public static readonly UserOrder ById = new(UserOrderField.Id, false);
}

/// <summary>A keyset position: the sort value and id of the last user of the previous page.</summary>
public sealed record UserPosition(string SortValue, long Id);

public sealed class UniqueViolationException(string field)
    : Exception($"{field} is already taken")
{
    /// <summary>The proto field name: "username" or "email".</summary>
    public string Field { get; } = field;
}

public sealed class EtagMismatchException(UserRecord current)
    : Exception("the user was changed since the given etag")
{
    public UserRecord Current { get; } = current;
}

public sealed class RequestIdMismatchException()
    : Exception("request_id was already used for a different user");
