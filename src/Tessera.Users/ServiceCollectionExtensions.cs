using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tessera.Users.Changes;
using Tessera.Users.Chat;
using Tessera.Users.Storage;
using Tessera.Users.Storage.Postgres;
using Tessera.Users.Storage.Sqlite;

namespace Tessera.Users;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// The user directory on the engine <paramref name="store"/> names. The store is opened by
    /// <see cref="IStoreInitializer.InitializeAsync"/>, which the host calls once before it listens.
    /// </summary>
    public static IServiceCollection AddTesseraUsers(this IServiceCollection services, StoreOptions store)
    {
        services.AddTesseraUserBasics(store);
        services.AddSingleton<ChangeNotifier>();
        // The services keep no state of a call's own: one instance answers every call (gRPC would make one per call).
        services.AddSingleton<UserService>();
        services.AddSingleton<Auth.AuthService>();
        switch (store.Engine)
        {
            case StoreEngine.Sqlite:
                services.AddSingleton(provider => new SqliteUserStore(
                    Path.Combine(store.DataDirectory, StoreOptions.SqliteFileName),
                    provider.GetRequiredService<ChangeNotifier>(),
                    provider.GetRequiredService<TimeProvider>()));
                AddEngine<SqliteUserStore>(services);
                break;
            case StoreEngine.Postgres:
                var connectionString = string.IsNullOrWhiteSpace(store.ConnectionString)
                    ? throw new ArgumentException("the PostgreSQL store needs a connection string (--connection or TESSERA_CONNECTION)", nameof(store))
                    : store.ConnectionString;
                services.AddSingleton(provider => new PostgresUserStore(
                    connectionString,
                    provider.GetRequiredService<ChangeNotifier>(),
                    provider.GetRequiredService<TimeProvider>(),
                    provider.GetRequiredService<ILogger<PostgresUserStore>>()));
                AddEngine<PostgresUserStore>(services);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(store), store.Engine, "unknown store engine");
        }

        return services;
    }

    /// <summary>
    /// What every process needs from this project, whether or not it keeps the user directory: the clock, password
    /// hashing, the chat engine (the monitoring service's ops room uses it) and the store options.
    /// </summary>
    public static IServiceCollection AddTesseraUserBasics(this IServiceCollection services, StoreOptions store)
    {
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton(store);
        services.AddTesseraChat(store);

        return services;
    }

    /// <summary>One object per engine serves users, refresh tokens and its own start.</summary>
    private static void AddEngine<TStore>(IServiceCollection services)
        where TStore : class, IUserStore, IRefreshTokenStore, IStoreInitializer
    {
        services.AddSingleton<IUserStore>(provider => provider.GetRequiredService<TStore>());
        services.AddSingleton<IRefreshTokenStore>(provider => provider.GetRequiredService<TStore>());
        services.AddSingleton<IStoreInitializer>(provider => provider.GetRequiredService<TStore>());
    }
}
