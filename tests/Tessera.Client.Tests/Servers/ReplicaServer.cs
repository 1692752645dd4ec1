using System.Net;
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
/// </summary>
internal sealed class ReplicaServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _stopped;

    private ReplicaServer(WebApplication app, string name, int port)
    {
        _app = app;
        Name = name;
        Port = port;
    }

    public string Name { get; }

    public int Port { get; }

    /// <summary>The <c>http://127.0.0.1:PORT</c> address of the server.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Starts a server; with <paramref name="certificatePath"/> and its key, it speaks TLS only.</summary>
    public static async Task<ReplicaServer> StartAsync(string name, string? certificatePath = null, string? keyPath = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(new ServerName(name));
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
        await app.StartAsync().ConfigureAwait(false);
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        var port = new Uri(addresses.Single()).Port;
        return new ReplicaServer(app, name, port);
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
