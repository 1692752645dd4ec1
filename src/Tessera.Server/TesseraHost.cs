using Microsoft.AspNetCore.Server.Kestrel.Core;
using Tessera.Users;
using Tessera.Users.Storage;

namespace Tessera.Server;

/// <summary>Composes the Tessera server: configuration, Kestrel, the user directory and the gRPC pipeline.</summary>
public static class TesseraHost
{
    public const string DefaultUrls = "http://127.0.0.1:50051";

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
        var options = TesseraOptions.Read(builder.Configuration, args);

        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddSingleton(options);
        builder.Services.AddTesseraUsers(options.DataDirectory);
        builder.Services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<ErrorInterceptor>();
            grpc.MaxReceiveMessageSize = options.MaxReceiveMessageSize;
        });

        configure?.Invoke(builder);
        var app = builder.Build();
        _ = app.Services.GetRequiredService<IUserStore>();
        app.MapGrpcService<UserService>();
        return app;
    }
}
