using Tessera.Server.Observability;
using Tessera.Server.Operations;
using Tessera.Server.Security;
using Tessera.Users;
using Tessera.Users.Auth;
using Tessera.Users.Storage;

namespace Tessera.Server;

/// <summary>Composes the Tessera server: settings, Kestrel, security, operations and the services.</summary>
public static class TesseraHost
{
    public const string DefaultUrls = "http://127.0.0.1:50051";
    public const string DefaultTlsUrls = "https://127.0.0.1:50051";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = TesseraOptions.Read(builder.Configuration);

        builder.ConfigureTesseraKestrel(options);
        builder.AddTesseraLogging(options);
        builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.ShutdownTimeout);
        builder.Services.AddSingleton(options);
        builder.Services.AddTesseraUsers(options.DataDirectory);
        builder.Services.AddTesseraAuth(options);
        builder.Services.AddTesseraHealth();
        builder.Services.AddTesseraObservability(options);
        builder.Services.AddGrpcReflection();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<LoggingInterceptor>();
            grpc.Interceptors.Add<StreamMetricsInterceptor>();
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.Interceptors.Add<RateLimitInterceptor>();
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        });
        builder.Services.AddSingleton<RateLimitInterceptor>();
        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseTesseraObservability(options);
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGrpcService<UserService>();
        app.MapGrpcService<AuthService>();
        app.MapGrpcHealthChecksService();
        app.MapGrpcReflectionService();
        if (options.BenchService) app.MapGrpcService<Bench.BenchService>();
        return app;
    }

    /// <summary>Opens the store (running migrations), creates the first admin when auth is on, and warns when it is off.</summary>
    public static async Task PrepareAsync(WebApplication app)
    {
        var options = app.Services.GetRequiredService<TesseraOptions>();
        _ = app.Services.GetRequiredService<IUserStore>();
        if (options.AuthEnabled)
        {
            await AdminBootstrap.EnsureAdminAsync(app.Services, app.Logger);
        }
        else
        {
            app.Logger.LogWarning("Authentication is OFF (--auth none): every caller is an admin. Use this only on a machine nobody else can reach.");
        }
    }
}
