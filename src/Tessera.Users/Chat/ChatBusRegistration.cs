using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Users.Storage;

namespace Tessera.Users.Chat;

public static class ChatBusRegistration
{
    /// <summary>The chat rooms on the bus that fits the engine: in-process for SQLite, PostgreSQL NOTIFY across replicas.</summary>
    public static IServiceCollection AddTesseraChat(this IServiceCollection services, StoreOptions store)
    {
        services.AddSingleton<ChatRooms>();
        switch (store.Engine)
        {
            case StoreEngine.Postgres:
                var connectionString = store.ConnectionString
                    ?? throw new ArgumentException("the PostgreSQL chat bus needs a connection string (--connection or TESSERA_CONNECTION)", nameof(store));
                services.AddSingleton(provider => new PostgresChatBus(connectionString, provider.GetRequiredService<ILogger<PostgresChatBus>>()));
                services.AddSingleton<IChatBus>(provider => provider.GetRequiredService<PostgresChatBus>());
                services.AddSingleton<IHostedService>(provider => provider.GetRequiredService<PostgresChatBus>());
                break;
            default:
                services.AddSingleton<IChatBus, InProcessChatBus>();
                break;
        }

        return services;
    }
}
