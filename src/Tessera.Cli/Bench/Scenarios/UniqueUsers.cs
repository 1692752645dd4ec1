using System.Globalization;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Bench.Scenarios;

/// <summary>Create requests for users no run has made before: a random run prefix and a counter.</summary>
internal sealed class UniqueUsers(bool withPassword)
{
    public const string Password = "bench-password-0123";

    private readonly string prefix = "b" + Guid.NewGuid().ToString("N")[..8];
    private long next;

    public CreateUserRequest Next()
    {
        var n = Interlocked.Increment(ref next).ToString(CultureInfo.InvariantCulture);
        var username = $"{prefix}_{n}";
        return new CreateUserRequest
        {
            Username = username,
            Email = $"{username}@bench.example.com",
            FullName = "Bench User " + n,
            Password = withPassword ? Password : "",
        };
    }
}
