using System.Net;
using System.Net.Sockets;

namespace Tessera.Client.Tests.Servers;

/// <summary>
/// Relays connections from its own loopback port to a server's, so a test can make the server vanish the way a killed
/// process does (<see cref="Kill"/>): the port refuses new connections and every open one is reset, with no HTTP/2
/// GOAWAY first.
/// </summary>
internal sealed class TcpRelay : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _sockets = [];
    private readonly Lock _lock = new();
    private bool _killed;

    public TcpRelay(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>The <c>http://127.0.0.1:PORT</c> address of the relay.</summary>
    public string Address => $"http://127.0.0.1:{Port}";

    /// <summary>Stops listening and resets every relayed connection (SO_LINGER 0: an RST, not a FIN).</summary>
    public void Kill()
    {
        List<Socket> sockets;
        lock (_lock)
        {
            if (_killed)
            {
                return;
            }

            _killed = true;
            sockets = [.. _sockets];
        }

        _listener.Stop();
        foreach (var socket in sockets)
        {
            socket.LingerState = new LingerOption(enable: true, seconds: 0);
            socket.Dispose();
        }
    }

    public void Dispose() => Kill();

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync().ConfigureAwait(false);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await server.ConnectAsync(IPAddress.Loopback, _targetPort).ConfigureAwait(false);
                lock (_lock)
                {
                    _sockets.Add(client);
                    _sockets.Add(server);
                    if (_killed)
                    {
                        client.Dispose();
                        server.Dispose();
                        return;
                    }
                }

                _ = PumpAsync(client, server);
                _ = PumpAsync(server, client);
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Killed: the listener is stopped.
        }
    }

    private static async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer).ConfigureAwait(false)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // One side was reset or killed; the other pump ends too.
        }
    }
}
