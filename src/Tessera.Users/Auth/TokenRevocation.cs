using System.Collections.Concurrent;
using Tessera.Users.Changes;
using Tessera.Users.Storage;

namespace Tessera.Users.Auth;

/// <summary>
/// Decides, right after an access token's signature and lifetime are checked, whether it was revoked since it was
/// issued.
/// <para>
/// The rule: every user has a security stamp, stored with the user and never sent, that grows by one whenever their
/// existing access tokens must stop working: their roles change, they are deactivated, or their password is changed
/// or set. A token carries the stamp it was issued with (claim <c>sst</c>; tokens without it count as 0). A token
/// is refused when its user no longer exists, is deactivated, or has a stamp other than the token's. A counter
/// rather than a time, because a JWT's <c>iat</c> has one-second resolution and a change within the second of a
/// sign-in must still count.
/// </para>
/// <para>
/// Stamps are cached per user in memory. The cache follows the change log (every change above is logged, the
/// password ones included): before answering, it reads the changes committed since it last looked, up to
/// <see cref="ChangeNotifier.Latest"/>, and forgets the users they touch. A write is acknowledged only after it is
/// published there, so a token is refused on the very first call after the change; and a replica that applies the
/// same log invalidates its cache the same way, without a call from the writer.
/// </para>
/// </summary>
public sealed class TokenRevocation(IUserStore store, ChangeNotifier notifier) : IDisposable
{
    /// <summary>Users whose stamps are cached at most; past it, checks read the store.</summary>
    public const int CacheCapacity = 100_000;

    /// <summary>Changes read from the log per step while catching up; further behind than this, the cache is simply cleared.</summary>
    private const int CatchUpBatch = 1024;

    private const int CatchUpLimit = 16 * CatchUpBatch;

    private readonly ConcurrentDictionary<long, Entry> entries = new();
    private readonly SemaphoreSlim catchingUp = new(1, 1);
    private long followed = notifier.Latest;

    /// <summary>Grows before every invalidation, so a fill that raced one can tell and undo itself.</summary>
    private long invalidations;

    /// <summary>Null when a token of <paramref name="userId"/> issued at <paramref name="tokenStamp"/> is still good; else why it is not.</summary>
    public async Task<string?> CheckAsync(long userId, long tokenStamp, CancellationToken cancellationToken)
    {
        await CatchUpAsync(cancellationToken).ConfigureAwait(false);
        if (!entries.TryGetValue(userId, out var entry))
        {
            entry = await LoadAsync(userId, cancellationToken).ConfigureAwait(false);
        }

        return entry switch
        {
            { Exists: false } => "the user of this access token no longer exists",
            { IsActive: false } => "the user of this access token is deactivated; an admin can set is_active again",
            _ when entry.Stamp != tokenStamp =>
                "this access token was revoked because the user's roles or password changed; get a new one with auth.v1.AuthService/Refresh "
                + "(after a password change or reset, sign in again)",
            _ => null,
        };
    }

    public void Dispose() => catchingUp.Dispose();

    private async Task<Entry> LoadAsync(long userId, CancellationToken cancellationToken)
    {
        var before = Interlocked.Read(ref invalidations);
        var credentials = await store.GetCredentialsAsync(userId, cancellationToken).ConfigureAwait(false);
        var entry = credentials is null ? Entry.Missing : new Entry(true, credentials.User.IsActive, credentials.SecurityStamp);
        if (entries.Count < CacheCapacity && entries.TryAdd(userId, entry) && Interlocked.Read(ref invalidations) != before)
        {
            // A change may have been applied between the read and the add: this entry may be older than it.
            entries.TryRemove(new KeyValuePair<long, Entry>(userId, entry));
        }

        return entry;
    }

    /// <summary>Forgets the users changed in the log since the last look, up to the latest published revision.</summary>
    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        var latest = notifier.Latest;
        if (Interlocked.Read(ref followed) >= latest)
        {
            return;
        }

        await catchingUp.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var from = Interlocked.Read(ref followed);
            if (latest - from > CatchUpLimit)
            {
                Interlocked.Increment(ref invalidations);
                entries.Clear();
                Interlocked.Exchange(ref followed, latest);
                return;
            }

            while (from < latest)
            {
                var changes = await store.ReadChangesAsync(from, CatchUpBatch, cancellationToken).ConfigureAwait(false);
                if (changes.Count == 0)
                {
                    break;
                }

                Interlocked.Increment(ref invalidations);
                foreach (var change in changes)
                {
                    entries.TryRemove(change.User.Id, out _);
                }

                from = changes[^1].Revision;
                Interlocked.Exchange(ref followed, from);
            }
        }
        finally
        {
            catchingUp.Release();
        }
    }

    private sealed record Entry(bool Exists, bool IsActive, long Stamp)
    {
        public static readonly Entry Missing = new(false, false, 0);
    }
}
