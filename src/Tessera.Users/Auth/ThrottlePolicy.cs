namespace Tessera.Users.Auth;

/// <summary>
/// How sign-in failures are slowed down for one key (an account or an address): the first
/// <see cref="FreeFailures"/> cost nothing; each failure from then on blocks further attempts for
/// <see cref="FirstDelay"/>, doubling per failure up to <see cref="MaxDelay"/>; failures older than
/// <see cref="Forget"/> are forgotten.
/// </summary>
public sealed record ThrottlePolicy(int FreeFailures, TimeSpan FirstDelay, TimeSpan MaxDelay, TimeSpan Forget)
{
    /// <summary>Per account (known or not): 5 free failures, then 1 s, 2 s, 4 s, 8 s, 15 s, 15 s...</summary>
    public static readonly ThrottlePolicy Account = new(5, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15), TimeSpan.FromMinutes(15));

    /// <summary>Per client address, over all accounts: 20 free failures, then 1 s doubling up to 60 s.</summary>
    public static readonly ThrottlePolicy Address = new(20, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), TimeSpan.FromMinutes(15));

    /// <summary>How long the <paramref name="failures"/>-th failure blocks further attempts (zero while still free).</summary>
    public TimeSpan BlockAfter(int failures)
    {
        if (failures < FreeFailures)
        {
            return TimeSpan.Zero;
        }

        var doublings = Math.Min(failures - FreeFailures, 30);
        var delay = FirstDelay * Math.Pow(2, doublings);
        return delay < MaxDelay ? delay : MaxDelay;
    }
}
