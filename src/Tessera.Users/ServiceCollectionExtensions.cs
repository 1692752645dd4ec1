using Microsoft.Extensions.DependencyInjection;
using Tessera.Users.Changes;
using Tessera.Users.Chat;
using Tessera.Users.Storage;

namespace Tessera.Users;

public static class ServiceCollectionExtensions
{
    /// <summary>The user directory on the embedded SQLite store in <paramref name="dataDirectory"/>.</summary>
    public static IServiceCollection AddTesseraUsers(this IServiceCollection services, string dataDirectory)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<ChangeNotifier>();
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<ChatRooms>();
        services.AddSingleton(provider =>
        {
            Directory.CreateDirectory(dataDirectory);
            return new SqliteUserStore(
                Path.Combine(dataDirectory, "tessera.db"),
                provider.GetRequiredService<ChangeNotifier>(),
                provider.GetRequiredService<TimeProvider>());
        });
        services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<SqliteUserStore>());
        services.AddSingleton<IRefreshTokenStore>(provider => provider.GetRequiredService<SqliteUserStore>());
        return services;
    }
}
