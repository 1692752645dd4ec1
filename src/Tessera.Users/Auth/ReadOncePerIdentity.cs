using System.Runtime.CompilerServices;
using System.Security.Claims;

namespace Tessera.Users.Auth;

/// <summary>
/// What is read from a principal's claims, read once per identity rather than on every call. A signed-in principal
/// has one identity: that of its token (remembered while the token is valid, so all its calls share it) or
/// <c>--auth none</c>'s one admin. A principal with several identities is read every time.
/// </summary>
public sealed class ReadOncePerIdentity<T>
    where T : class
{
    private readonly ConditionalWeakTable<ClaimsIdentity, T> byIdentity = [];
    private readonly Func<ClaimsPrincipal, T> read;

    /// <summary>Made once: a callback made per lookup would cost the allocation this class saves.</summary>
    private readonly ConditionalWeakTable<ClaimsIdentity, T>.CreateValueCallback readIdentity;

    public ReadOncePerIdentity(Func<ClaimsPrincipal, T> read)
    {
        this.read = read;
        readIdentity = identity => read(new ClaimsPrincipal(identity));
    }

    public T Of(ClaimsPrincipal principal) =>
        principal.Identity is ClaimsIdentity identity && principal.Identities is ICollection<ClaimsIdentity> { Count: 1 }
            ? byIdentity.GetValue(identity, readIdentity)
            : read(principal);
}
