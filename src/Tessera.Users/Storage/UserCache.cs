using System.Collections.Concurrent;

namespace Tessera.Users.Storage;

/// <summary>
/// Users by id, in memory, for GetUser. On SQLite this process is the only writer of its database, so the cache stays
/// exact: after every commit the writer puts the changed users in (and takes deleted ones out) before any write of the
/// group is acknowledged. On PostgreSQL the change feed does the same with every replica's changes, so the cache is
/// exact for this replica's writes and behind by the feed's delay for others'. A read that missed fills the cache only
/// if no commit began or ended while it read (a generation counter, odd while a commit is open), so a row read just
/// before a commit is never cached after it; and a change never replaces a newer version of its user (a read may have
/// cached a row that another replica committed before the feed applied an older change of it).
/// </summary>
internal sealed class UserCache(int capacity = UserCache.DefaultCapacity)
{
    public const int DefaultCapacity = 200_000;

    private readonly ConcurrentDictionary<long, UserRecord> users = new();
    private readonly Lock gate = new();
    private long generation;

    // The dictionary's own Count takes every one of its locks; every change to it is made under the gate, so this count is exact.
    private int count;

    /// <summary>Read before a database read; pass it to <see cref="Fill"/>.</summary>
    public long Generation => Volatile.Read(ref generation);

    public bool TryGet(long id, out UserRecord? user) => users.TryGetValue(id, out user);

    /// <summary>Caches a row read from the database, unless a commit began or ended since <paramref name="readAt"/>.</summary>
    public void Fill(UserRecord user, long readAt)
    {
        lock (gate)
        {
            if (generation == readAt && (readAt & 1) == 0 && count < capacity && users.TryAdd(user.Id, user))
            {
                count++;
            }
        }
    }

    /// <summary>Writer only: a transaction is about to run.</summary>
    public void BeginCommit()
    {
        lock (gate)
        {
            generation++;
        }
    }

    /// <summary>Writer only: the transaction ended; <paramref name="committed"/> are its changes (none when it failed).</summary>
    public void EndCommit(IReadOnlyList<UserChange> committed)
    {
        lock (gate)
        {
            foreach (var change in committed)
            {
                var held = users.TryGetValue(change.User.Id, out var cached);
                if (change.Type == ChangeType.Deleted)
                {
                    Remove(change.User.Id);
                }
                else if (held && cached!.Version > change.User.Version)
                {
                    // Already newer (read from the database ahead of the feed): keep it.
                    continue;
                }
                else if (held)
                {
                    users[change.User.Id] = change.User;
                }
                else if (count < capacity)
                {
                    users[change.User.Id] = change.User;
                    count++;
                }
            }

            generation++;
        }
    }

    private void Remove(long id)
    {
        if (users.TryRemove(id, out _))
        {
            count--;
        }
    }
}
