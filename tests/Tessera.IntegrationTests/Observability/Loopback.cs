using System.Net;
using System.Net.Sockets;

namespace Tessera.IntegrationTests.Observability;

internal static class Loopback
{
    /// <summary>A port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    public static string FreeHttpUrl() => $"http://127.0.0.1:{FreePort()}";
}
