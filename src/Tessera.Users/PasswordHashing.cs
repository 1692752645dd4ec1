using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Tessera.Users;

/// <summary>
/// Password hashes through the framework's <see cref="PasswordHasher{TUser}"/> (PBKDF2-HMAC-SHA512, salted),
/// at OWASP's 220,000 iterations. Passwords are never stored or returned.
/// </summary>
public sealed class PasswordHashing
{
    public const int Iterations = 220_000;

    private readonly PasswordHasher<object> hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
        IterationCount = Iterations,
    }));

    private static readonly object Owner = new();

    private readonly Lazy<string> decoy;

    public PasswordHashing()
    {
        decoy = new Lazy<string>(() => Hash(Guid.NewGuid().ToString()));
    }

    public string Hash(string password) => hasher.HashPassword(Owner, password);

    public bool Verify(string hash, string password) =>
        hasher.VerifyHashedPassword(Owner, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;

    /// <summary>
    /// Verifies against <paramref name="hash"/>, or against a decoy when there is none, so that a sign-in for an
    /// unknown user (or one without a password) takes as long as a wrong password and reveals nothing.
    /// </summary>
    public bool VerifyOrBurn(string? hash, string password)
    {
        var matched = Verify(hash ?? decoy.Value, password);
        return hash is not null && matched;
    }
}
