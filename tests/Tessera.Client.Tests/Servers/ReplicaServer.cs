using System.Net;
using Grpc.Health.V1;
using Grpc.HealthCheck;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Tessera.Client.Tests.Servers;

/// <summary>
/// A Kestrel gRPC server on 127.0.0.1 and a free port, plain HTTP/2 or, given a certificate, TLS, whose GetUser
/// answers with its <see cref="Name"/> (see <see cref="NamedUserService"/>). Stands in for one Tessera replica.
/// Started with a health service, it serves grpc.health.v1 (<see cref="SetHealth"/>), SERVING for user.v1.UserService at first.
/// </summary>
internal sealed class ReplicaServer : IAsyncDisposable
{
    private const string UserService = "user.v1.UserService";

    private readonly WebApplication _app;
    private bool _stopped;

    private readonly HealthServiceImpl? _health;

    private ReplicaServer(WebApplication app, string name, int port, HealthServiceImpl? health)
    {
        _app = app;
        _health = health;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>The <c>http://127.0.0.1:PORT</c> address of the server.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Starts a server; with <paramref name="certificatePath"/> and its key, it speaks TLS only.</summary>
    public static Task<ReplicaServer> StartAsync(string name, string? certificatePath = null, string? keyPath = null) =>
        StartAsync(name, health: null, certificatePath, keyPath);

    /// <summary>Starts a plain HTTP/2 server with a grpc.health.v1 service.</summary>
    public static Task<ReplicaServer> StartWithHealthAsync(string name)
    {
        var health = new HealthServiceImpl();
        health.SetStatus(UserService, HealthCheckResponse.Types.ServingStatus.Serving);
        return StartAsync(name, health, certificatePath: null, keyPath: null);
    }

    /// <summary>Sets the health status of user.v1.UserService; health watches hear of it at once.</summary>
    public void SetHealth(HealthCheckResponse.Types.ServingStatus status) =>
        (_health ?? throw new InvalidOperationException($"server {Name} was started without a health service")).SetStatus(UserService, status);

    private static async Task<ReplicaServer> StartAsync(string name, HealthServiceImpl? health, string? certificatePath, string? keyPath)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new ServerName(name));
        if (health is not null)
        {
            builder.Services.AddSingleton(health);
        }

        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = HttpProtocols.Http2;
            if (certificatePath is not null)
            {
                listen.UseHttps(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(certificatePath, keyPath));
            }
        }));
        var app = builder.Build();
        app.MapGrpcService<NamedUserService>();
        if (health is not null)
        {
            app.MapGrpcService<HealthServiceImpl>();
        }

        await app.StartAsync().ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var port = new Uri(addresses.Single()).Port;
        return new ReplicaServer(app, name, port, health);
    }

    /// <summary>Stops the server (Kestrel's graceful stop: open connections are told to go away, then closed).</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
