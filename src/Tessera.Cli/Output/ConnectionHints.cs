using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Tessera.Client;

namespace Tessera.Cli.Output;

/// <summary>
/// What to check when a call never reached the server, named after what actually went wrong: nothing listening,
/// TLS spoken to a plain server or plain HTTP/2 to a TLS one, a certificate that was not trusted.
/// </summary>
internal static class ConnectionHints
{
    public static IReadOnlyList<string> For(TesseraException exception, string address, bool clientCertificateGiven)
    {
        // grpc-dotnet reports a refused certificate as INTERNAL, so every code is looked into, by its causes.
        var causes = Causes(exception).ToList();
        var https = address.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
        if (causes.OfType<SocketException>().Any(s => s.SocketErrorCode == SocketError.ConnectionRefused))
        {
            return [$"nothing accepted the connection: is the server running at {address}?"];
        }

        if (causes.OfType<SocketException>().Any(s => s.SocketErrorCode is SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain))
        {
            return [$"the host of {address} was not found: check the name in --address"];
        }

        if (causes.OfType<AuthenticationException>().FirstOrDefault() is { } tls)
        {
            if (tls.Message.Contains("remote certificate", StringComparison.OrdinalIgnoreCase))
            {
                return ["the server's certificate was not accepted: --ca must name the CA that signed it, and --address a name it is for"];
            }

            // The handshake failed: the server does not speak TLS on that port (its answer is no TLS record, "frame"),
            // or it wants a client certificate.
            var hints = new List<string> { $"the TLS handshake with {address} failed: if the server does not use TLS, use http:// instead of https://" };
            if (!clientCertificateGiven && !tls.Message.Contains("frame", StringComparison.OrdinalIgnoreCase))
            {
                hints.Add("if the server requires client certificates (mTLS), give --cert and --key");
            }

            return hints;
        }

        if (exception is UnavailableException && !https && causes.OfType<HttpRequestException>().Any(h => h.HttpRequestError is HttpRequestError.HttpProtocolError or HttpRequestError.ResponseEnded or HttpRequestError.InvalidResponse))
        {
            return [$"the server at {address} did not answer in plain HTTP/2: if it uses TLS, use https:// (and --ca if its CA is not a system one)"];
        }

        if (exception is UnavailableException && https && !clientCertificateGiven && causes.OfType<IOException>().Any())
        {
            return ["the connection was closed after the TLS handshake: if the server requires client certificates (mTLS), give --cert and --key"];
        }

        return [];
    }

    /// <summary>The exception and its causes; grpc-dotnet keeps the transport's exception in the status (DebugException).</summary>
    private static IEnumerable<Exception> Causes(Exception exception)
    {
        for (Exception? cause = exception; cause is not null; cause = cause is RpcException rpc ? rpc.Status.DebugException : cause.InnerException)
        {
            yield return cause;
        }
    }
}
