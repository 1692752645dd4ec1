using System.Net;
using System.Net.Sockets;

namespace Tessera.IntegrationTests;

internal static class Loopback
{
    private const int Attempts = 3;

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

    /// <summary>
    /// Runs <paramref name="start"/>, which picks ports with <see cref="FreePort"/> and starts a server process on
    /// them, again when the server could not bind: a port found free can be taken by another test's process before
    /// this one binds it. At most three attempts, each with new ports.
    /// </summary>
    public static async Task<T> OnFreePortsAsync<T>(Func<Task<T>> start)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await start();
            }
            catch (Exception e) when (attempt < Attempts && IsPortClash(e))
            {
            }
        }
    }

    /// <summary>Whether a failed start was a port taken by someone else (Kestrel's "address already in use").</summary>
    public static bool IsPortClash(Exception e) => e.Message.Contains("address already in use", StringComparison.Ordinal);
}
