using System.Security.Cryptography;
using Tessera.Users;
using Tessera.Users.Auth;
using Tessera.Users.Storage;

namespace Tessera.Server.Security;

/// <summary>
/// On first start with an empty database, creates the <c>admin</c> user: its password comes from
/// <c>TESSERA_ADMIN_PASSWORD</c>, or is generated and printed once to the console. Replicas starting together on one
/// PostgreSQL database race here; the request id makes exactly one of them create the admin, and only that one prints
/// the password (the others replay the create, or find the username taken, and stay silent).
/// </summary>
public static class AdminBootstrap
{
    public const string PasswordVariable = "TESSERA_ADMIN_PASSWORD";

    public static async Task EnsureAdminAsync(IServiceProvider services, ILogger logger)
    {
        var store = services.GetRequiredService<IUserStore>();
        if (await store.CountAsync(null, CancellationToken.None) > 0)
        {
            return;
        }

        var given = Environment.GetEnvironmentVariable(PasswordVariable);
        var password = string.IsNullOrEmpty(given) ? Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)) : given;
        var hash = await services.GetRequiredService<PasswordHashing>().HashAsync(password, CancellationToken.None);
        try
        {
            var result = await store.CreateAsync(
                new NewUser("admin", "admin@localhost.localdomain", "Administrator", hash, [Roles.Admin], new Dictionary<string, string>(), null),
                "tessera-admin-bootstrap",
                CancellationToken.None);
            if (result.Replayed)
            {
                return;
            }
        }
        catch (UniqueViolationException)
        {
            return;
        }

        if (string.IsNullOrEmpty(given))
        {
            Console.WriteLine($"Created user 'admin' with password: {password}");
            Console.WriteLine($"(shown once; change it with `tessera login --username admin` and `tessera password change`, or set {PasswordVariable} before the first start)");
        }
        else
        {
            logger.LogInformation("Created user 'admin' with the password from {Variable}", PasswordVariable);
        }
    }
}
