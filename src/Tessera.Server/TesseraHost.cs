using Tessera.Commerce.Inventory;
using Tessera.Commerce.Orders;
using Tessera.Commerce.Payments;
using Tessera.Monitoring;
using Tessera.Server.Observability;
using Tessera.Server.Operations;
using Tessera.Server.Requests;
using Tessera.Server.Security;
using Tessera.Server.Web;
using Tessera.Users;
using Tessera.Users.Auth;
using Tessera.Users.Storage;

namespace Tessera.Server;

/// <summary>Composes the Tessera server: settings, Kestrel, security, operations and the services.</summary>
public static class TesseraHost
{
    public const string DefaultUrls = "http://127.0.0.1:50051";
    public const string DefaultTlsUrls = "https://127.0.0.1:50051";
    public const string DefaultWebUrls = "http://127.0.0.1:8080";
    public const string DefaultTlsWebUrls = "https://127.0.0.1:8080";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        ServerCommandLine.Check(args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = TesseraOptions.Read(builder.Configuration);
        // SQLite's file (and a generated JWT key) live in the data directory, locked for this process; replicas on
        // PostgreSQL keep nothing on their own disk.
        var dataDirectory = options.Store.Engine == StoreEngine.Sqlite ? DataDirectory.Open(options.DataDirectory) : null;
        try
        {
            return Build(builder, options, dataDirectory, configure);
        }
        catch
        {
            dataDirectory?.Dispose();
            throw;
        }
    }

    private static WebApplication Build(WebApplicationBuilder builder, TesseraOptions options, DataDirectory? dataDirectory, Action<WebApplicationBuilder>? configure)
    {
        builder.Services.AddTransient<IStartupFilter, ListenersFromKestrelSetup>();
        KeysInMemory.Use(builder.Services);
        builder.ConfigureTesseraKestrel(options);
        builder.AddTesseraLogging(options);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        if (options.KeepsUserStore)
        {
            builder.Services.AddTesseraUsers(options.Store);
        }
        else
        {
            builder.Services.AddTesseraUserBasics(options.Store);
        }

        AddServices(builder.Services, options);
        builder.Services.AddTesseraAuth(options);
        builder.Services.AddTesseraHealth(options);
        builder.Services.AddHostedService<IdleMemoryTrim>();
        builder.Services.AddTesseraObservability(options);
        builder.Services.AddTesseraTracing(options);
        builder.Services.AddGrpcReflection();
        // A singleton, so gRPC uses one instance rather than making one for every call.
        builder.Services.AddSingleton<CallErrors>();
        builder.Services.AddSingleton<StoreFaults>();
        builder.Services.AddSingleton<OpenStreams>();
        builder.Services.AddSingleton<CallInterceptor>();
        var grpc = builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<CallInterceptor>();
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
            CheckedDecompression.Wrap(grpc.CompressionProviders, options.MaxReceiveMessageSize);
        });
        builder.Services.AddTesseraWeb(grpc, options);
        builder.Services.AddGrpcRequestParsing();
        builder.Services.AddSingleton<CallerRateLimiter>();
        configure?.Invoke(builder);

        var app = builder.Build();
        if (dataDirectory is not null)
        {
            // The lock is held while the server runs: released when it has stopped (and, should it never start, on dispose).
            app.Lifetime.ApplicationStopped.Register(dataDirectory.Dispose);
        }

        app.UseTesseraWeb(options);
        app.UseTesseraObservability(options);
        app.UseTesseraAuthentication(options);
        app.UseMiddleware<RateLimitMiddleware>();
        app.UseMiddleware<CallAuthorization>();
        app.UseTesseraRestBodyCheck(options);
        app.UseMiddleware<MessageFramingCheck>();
        MapServices(app, options);
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        if (options.BenchService) app.MapGrpcService<Bench.BenchService>();
        return app;
    }

    /// <summary>The services <c>--services</c> names (all by default), each with its store and background work.</summary>
    private static void AddServices(IServiceCollection services, TesseraOptions options)
    {
        if (options.Serves(TesseraServices.Inventory)) services.AddTesseraInventory(options.Store);
        if (options.Serves(TesseraServices.Payments)) services.AddTesseraPayments(options.Store);
        if (options.Serves(TesseraServices.Orders)) services.AddTesseraOrders(options.Store, options.Peers);
        if (options.Serves(TesseraServices.Monitoring)) services.AddTesseraMonitoring();
    }

    private static void MapServices(WebApplication app, TesseraOptions options)
    {
        if (options.Serves(TesseraServices.Users))
        {
            app.MapGrpcService<UserService>();
            app.MapGrpcService<AuthService>();
        }

        if (options.Serves(TesseraServices.Inventory)) app.MapTesseraInventory();
        if (options.Serves(TesseraServices.Payments)) app.MapTesseraPayments();
        if (options.Serves(TesseraServices.Orders)) app.MapTesseraOrders();
        if (options.Serves(TesseraServices.Monitoring)) app.MapTesseraMonitoring();
    }

    /// <summary>Opens every store and runs its migrations; a database that cannot be opened is a StartupException.</summary>
    public static async Task OpenStoreAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<TesseraOptions>();
        try
        {
            foreach (var store in app.Services.GetServices<IStoreInitializer>())
            {
                await store.InitializeAsync(app.Lifetime.ApplicationStopping);
            }
        }
        catch (Exception e) when (e is System.Data.Common.DbException or InvalidOperationException or IOException or UnauthorizedAccessException or TimeoutException)
        {
            var where = options.Store.Engine == StoreEngine.Sqlite ? $"in {options.DataDirectory}" : "on PostgreSQL (--connection)";
            throw new StartupException($"cannot open the database {where}: {e.Message}", e);
        }
    }

    /// <summary>Starts listening; an address that cannot be bound (taken, not allowed) is a StartupException naming it.</summary>
    public static async Task StartAsync(WebApplication app)
    {
        try
        {
            await app.StartAsync();
        }
        catch (IOException e) when (e.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException or System.Net.Sockets.SocketException)
        {
            throw new StartupException($"{e.Message.TrimEnd('.')}. Choose another address with --urls (or --web-urls for the web console and REST, --metrics-urls for /metrics).", e);
        }

        var listeners = app.Services.GetRequiredService<Listeners>();
        var web = listeners.AddressesOf(ListenerRole.Web);
        app.Logger.LogInformation(
            "gRPC at {Grpc}; {Web}",
            string.Join(", ", listeners.AddressesOf(ListenerRole.Grpc)),
            web.Count == 0 ? "no web address (--web-urls none)" : $"the web console, REST (/openapi.json, /docs) and gRPC-Web at {string.Join(", ", web)}");
    }

    /// <summary>
    /// Creates the first admin when auth is on and this process serves users (before the server listens, so a first
    /// sign-in cannot miss it), and warns when auth is off.
    /// </summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<TesseraOptions>();
        if (!options.AuthEnabled)
        {
            app.Logger.LogWarning("Authentication is OFF (--auth none): every caller is an admin. Use this only on a machine nobody else can reach.");
        }
        else if (options.Serves(TesseraServices.Users))
        {
            await AdminBootstrap.EnsureAdminAsync(app.Services, app.Logger);
        }
    }
}
