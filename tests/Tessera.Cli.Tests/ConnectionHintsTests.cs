using System.Net.Sockets;
using System.Security.Authentication;
using Grpc.Core;
using Tessera.Cli.Output;
using Tessera.Client;

namespace Tessera.Cli.Tests;

/// <summary>
/// Hints for calls that never reached the server. The exceptions are shaped as grpc-dotnet reported them against a
/// real Tessera server (plain and TLS listeners) and a closed port.
/// </summary>
public sealed class ConnectionHintsTests
{
    private static TesseraException Failure(StatusCode code, Exception transport) =>
        RpcErrorTranslator.Translate(new RpcException(new Status(code, "Error starting gRPC call. " + transport.Message, transport)));

    [Fact]
    public void A_refused_connection_asks_whether_the_server_runs_at_that_address()
    {
        var e = Failure(StatusCode.Unavailable, new HttpRequestException("Connection refused", new SocketException((int)SocketError.ConnectionRefused)));

        Assert.Equal(["nothing accepted the connection: is the server running at http://127.0.0.1:1?"], ConnectionHints.For(e, "http://127.0.0.1:1", false));
    }

    [Fact]
    public void Plain_http_to_a_tls_server_says_to_use_https()
    {
        var e = Failure(StatusCode.Unavailable, new HttpRequestException(HttpRequestError.InvalidResponse,
            "An HTTP/2 connection could not be established because the server did not complete the HTTP/2 handshake.",
            new HttpIOException(HttpRequestError.ResponseEnded, "The response ended prematurely while waiting for the next frame from the server.")));

        var hint = Assert.Single(ConnectionHints.For(e, "http://127.0.0.1:50051", false));
        Assert.Contains("use https://", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("running", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Https_to_a_plain_server_says_to_use_http_and_does_not_blame_the_ca()
    {
        var e = Failure(StatusCode.Internal, new HttpRequestException("The SSL connection could not be established, see inner exception.",
            new AuthenticationException("Cannot determine the frame size or a corrupted frame was received.")));

        var hint = Assert.Single(ConnectionHints.For(e, "https://127.0.0.1:50051", false));
        Assert.Contains("use http:// instead of https://", hint, StringComparison.Ordinal);
        Assert.DoesNotContain("--ca", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void An_untrusted_server_certificate_names_the_ca()
    {
        var e = Failure(StatusCode.Internal, new HttpRequestException("The SSL connection could not be established, see inner exception.",
            new AuthenticationException("The remote certificate is invalid because of errors in the certificate chain: PartialChain")));

        var hint = Assert.Single(ConnectionHints.For(e, "https://127.0.0.1:50051", false));
        Assert.Contains("--ca", hint, StringComparison.Ordinal);
    }

    [Fact]
    public void A_status_from_the_server_gets_no_connection_hint()
    {
        var e = RpcErrorTranslator.Translate(new RpcException(new Status(StatusCode.Unavailable, "the server is shutting down")));

        Assert.Empty(ConnectionHints.For(e, "http://127.0.0.1:50051", false));
    }
}
