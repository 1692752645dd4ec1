using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Tessera.Users;

/// <summary>
/// Password hashes through the framework's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, salted),
/// at OWASP's 220,000 iterations (about 115 ms of a core each). Passwords are never stored or returned.
/// <para>
/// Every request path hashes through <see cref="HashAsync"/> and <see cref="VerifyAsync"/>, which run at most
/// <see cref="Concurrency"/> hashes at once (half the cores, at least one) with at most <see cref="QueueLimit"/>
/// waiting; past that a call is RESOURCE_EXHAUSTED (PASSWORD_HASHING_BUSY, with RetryInfo), so sign-ins and
/// sign-ups never take every core from other callers.
/// </para>
/// </summary>
public sealed class PasswordHashing : IDisposable
{
    public const int Iterations = 220_000;

    /// <summary>What a caller refused for a full queue is told to wait: about the time the queue takes to drain.</summary>
    public static readonly TimeSpan BusyRetryDelay = TimeSpan.FromSeconds(1);

    private static readonly object Owner = new();

    private readonly PasswordHasher<object> hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = Iterations,
    }));

    private readonly ConcurrencyLimiter gate;
    private readonly Lazy<string> decoy;

    public PasswordHashing()
        : this(Math.Max(1, Environment.ProcessorCount / 2), Math.Max(8, Environment.ProcessorCount * 2))
    {
    }

    public PasswordHashing(int concurrency, int queueLimit)
    {
        Concurrency = concurrency;
        QueueLimit = queueLimit;
        gate = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = concurrency,
            QueueLimit = queueLimit,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        decoy = new Lazy<string>(() => Hash(Guid.NewGuid().ToString()));
    }

    /// <summary>Hashes running at once at most.</summary>
    public int Concurrency { get; }

    /// <summary>Hashes waiting for a turn at most; one more is refused.</summary>
    public int QueueLimit { get; }

    /// <summary>Hashes a password, waiting for a turn at the gate.</summary>
    /// <exception cref="Grpc.Core.RpcException">RESOURCE_EXHAUSTED when the gate's queue is full.</exception>
    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        GatedAsync(() => Hash(password), cancellationToken);

    /// <summary>Verifies a password against a hash, waiting for a turn at the gate.</summary>
    /// <exception cref="Grpc.Core.RpcException">RESOURCE_EXHAUSTED when the gate's queue is full.</exception>
    public Task<bool> VerifyAsync(string hash, string password, CancellationToken cancellationToken) =>
        GatedAsync(() => Verify(hash, password), cancellationToken);

    /// <summary>
    /// Verifies against <paramref name="hash"/>, or against a decoy when there is none, so that a sign-in for an
    /// unknown user (or one without a password) takes as long as a wrong password and reveals nothing.
    /// </summary>
    public async Task<bool> VerifyOrBurnAsync(string? hash, string password, CancellationToken cancellationToken)
    {
        var matched = await GatedAsync(() => Verify(hash ?? decoy.Value, password), cancellationToken).ConfigureAwait(false);
        return hash is not null && matched;
    }

    /// <summary>Hashes at once, without the gate: only for measuring the hash rate (the bench) and for tests.</summary>
    public string Hash(string password) => hasher.HashPassword(Owner, password);

    /// <summary>Verifies at once, without the gate: only for tests.</summary>
    public bool Verify(string hash, string password) =>
        hasher.VerifyHashedPassword(Owner, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;

    public void Dispose() => gate.Dispose();

    private async Task<T> GatedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        using var lease = await gate.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        if (!lease.IsAcquired)
        {
            throw RpcErrors.ResourceExhausted(
                $"the server is busy checking passwords ({Concurrency} at a time, {QueueLimit} waiting); retry in a moment",
                "PASSWORD_HASHING_BUSY",
                BusyRetryDelay);
        }

        // Hash on a thread of its own, never on the thread pool: a hash holds a core for about 115 ms, and on a small
        // machine holding pool threads that long starves everyone else's calls until the pool injects more threads
        // (seen as 0.5-1 s spikes in GetUser's latency under a sign-in flood). Creating a thread costs far less than a hash.
        return await Task.Factory.StartNew(work, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
    }
}
