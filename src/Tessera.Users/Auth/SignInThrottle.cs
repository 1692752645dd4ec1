using System.Collections.Concurrent;
using System.Globalization;
using Tessera.Users.Filtering;

namespace Tessera.Users.Auth;

/// <summary>
/// Slows down password guessing, checked before any hashing: failed sign-ins are counted per account and per client
/// address, and past a few failures each key is blocked for a time that doubles per failure, capped (see
/// <see cref="ThrottlePolicy"/>), so an attacker can delay a user by at most the account cap per attempt and never
/// lock them out. Attempts refused while blocked are not counted. A success clears the account's failures.
/// Unknown usernames are keyed and throttled exactly like known ones, so throttling reveals no account.
/// Memory is bounded: keys whose failures are forgotten are swept out, and at most <see cref="MaxKeys"/> are kept
/// per kind (past that, new keys go untracked until a sweep frees room, and the address limit still applies).
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int MaxKeys = 100_000;

    private readonly Table accounts = new(ThrottlePolicy.Account);
    private readonly Table addresses = new(ThrottlePolicy.Address);

    /// <summary>The key of an account: the user's id when the login names one, else the folded login itself.</summary>
    public static string AccountKey(long? userId, string login) =>
        userId is { } id ? "id:" + id.ToString(CultureInfo.InvariantCulture) : "login:" + FilterEvaluator.Fold(login);

    /// <summary>RESOURCE_EXHAUSTED (LOGIN_THROTTLED, with RetryInfo) when the account or the address is blocked.</summary>
    public void ThrowIfBlocked(string account, string address)
    {
        var now = clock.GetUtcNow();
        var accountWait = accounts.Remaining(account, now);
        var addressWait = addresses.Remaining(address, now);
        var wait = accountWait > addressWait ? accountWait : addressWait;
        if (wait > TimeSpan.Zero)
        {
            var seconds = Math.Ceiling(wait.TotalSeconds);
            throw RpcErrors.ResourceExhausted(
                $"too many failed sign-ins for this {(accountWait >= addressWait ? "account" : "address")}; try again in {seconds:0} s",
                "LOGIN_THROTTLED",
                TimeSpan.FromSeconds(seconds));
        }
    }

    public void Failed(string account, string address)
    {
        var now = clock.GetUtcNow();
        accounts.Fail(account, now);
        addresses.Fail(address, now);
    }

    public void Succeeded(string account) => accounts.Clear(account);

    private sealed class Table(ThrottlePolicy policy)
    {
        private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

        private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
        private readonly Lock sweeping = new();
        private DateTimeOffset nextSweep;

        public TimeSpan Remaining(string key, DateTimeOffset now) =>
            entries.TryGetValue(key, out var entry) ? entry.Remaining(now) : TimeSpan.Zero;

        public void Fail(string key, DateTimeOffset now)
        {
            if (!entries.TryGetValue(key, out var entry))
            {
                if (entries.Count >= MaxKeys && !Sweep(now))
                {
                    return;
                }

                entry = entries.GetOrAdd(key, static _ => new Entry());
            }

            entry.Fail(policy, now);
        }

        public void Clear(string key) => entries.TryRemove(key, out _);

        /// <summary>Removes forgotten keys (at most once a minute, so a full table costs no scan per attempt); false when still full.</summary>
        private bool Sweep(DateTimeOffset now)
        {
            lock (sweeping)
            {
                if (now >= nextSweep)
                {
                    nextSweep = now + SweepInterval;
                    foreach (var (key, entry) in entries)
                    {
                        if (entry.Forgotten(policy, now))
                        {
                            entries.TryRemove(key, out _);
                        }
                    }
                }
            }

            return entries.Count < MaxKeys;
        }
    }

    private sealed class Entry
    {
        private readonly Lock gate = new();
        private int failures;
        private DateTimeOffset lastFailure;
        private DateTimeOffset blockedUntil;

        public TimeSpan Remaining(DateTimeOffset now)
        {
            lock (gate)
            {
                return blockedUntil > now ? blockedUntil - now : TimeSpan.Zero;
            }
        }

        public void Fail(ThrottlePolicy policy, DateTimeOffset now)
        {
            lock (gate)
            {
                if (now - lastFailure > policy.Forget)
                {
                    failures = 0;
                }

                failures++;
                lastFailure = now;
                var block = policy.BlockAfter(failures);
                if (block > TimeSpan.Zero)
                {
                    blockedUntil = now + block;
                }
            }
        }

        public bool Forgotten(ThrottlePolicy policy, DateTimeOffset now)
        {
            lock (gate)
            {
                return now - lastFailure > policy.Forget && blockedUntil <= now;
            }
        }
    }
}
