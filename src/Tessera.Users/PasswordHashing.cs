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

    public string Hash(string password) => hasher.HashPassword(Owner, password);

    public bool Verify(string hash, string password) =>
        hasher.VerifyHashedPassword(Owner, hash, password) is PasswordVerificationResult.Success or PasswordVerificationResult.SuccessRehashNeeded;
}
