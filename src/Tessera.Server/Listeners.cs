using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Tessera.Server;

/// <summary>What a Kestrel listener is for: gRPC (<c>--urls</c>), the web face (<c>--web-urls</c>) or /metrics (<c>--metrics-urls</c>).</summary>
public enum ListenerRole
{
    Grpc,
    Web,
    Metrics,
}

/// <summary>
/// The server's listeners by role. Every connection is marked with the role of the listener that accepted it, so a
/// request can be told apart by where it came in, even on a port the OS chose (port 0); once bound, each listener's
/// address is known by role (for the startup line, and for tests that bind port 0).
/// </summary>
public sealed class Listeners
{
    private const string RoleKey = "tessera.listener";
    private readonly List<(ListenerRole Role, ListenOptions Listen, bool Tls)> all = [];

    public void Tag(ListenOptions listen, ListenerRole role, bool tls)
    {
        lock (all)
        {
            all.Add((role, listen, tls));
        }

        listen.Use(next => connection =>
        {
            connection.Items[RoleKey] = role;
            return next(connection);
        });
    }

    /// <summary>The addresses the listeners of a role are bound to (after the server started), as URLs.</summary>
    public IReadOnlyList<string> AddressesOf(ListenerRole role)
    {
        lock (all)
        {
            return [.. all.Where(listener => listener.Role == role).Select(listener => Url(listener.Listen, listener.Tls))];
        }
    }

    public static ListenerRole Of(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.TryGetValue(RoleKey, out var role) == true && role is ListenerRole tagged
            ? tagged
            : ListenerRole.Grpc;

    private static string Url(ListenOptions listen, bool tls)
    {
        var scheme = tls ? "https" : "http";
        return listen.EndPoint switch
        {
            IPEndPoint { Address.AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip => $"{scheme}://[{ip.Address}]:{ip.Port}",
            IPEndPoint ip => $"{scheme}://{ip.Address}:{ip.Port}",
            var other => $"{scheme}://{other}",
        };
    }
}
