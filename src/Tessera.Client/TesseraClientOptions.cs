namespace Tessera.Client;

/// <summary>How a <see cref="TesseraClient"/> reaches the server and what it sends with every call.</summary>
public sealed class TesseraClientOptions
{
    /// <summary>The default server address.</summary>
    public const string DefaultAddress = "http://127.0.0.1:50051";

    /// <summary>
    /// Where the server is. One of:
    /// <list type="bullet">
    /// <item><c>http://127.0.0.1:50051</c> or <c>https://users.example.com:50051</c>: one server. Without a scheme,
    /// <c>http://</c> is assumed, or <c>https://</c> when a CA or client certificate is set.</item>
    /// <item><c>http://127.0.0.1:50051,http://127.0.0.1:50052</c>: several servers (replicas), calls spread over them
    /// round-robin; all http:// or all https://.</item>
    /// <item><c>dns:///tessera-headless:50051</c> (or <c>dns://authority/host:port</c>, the authority ignored): every
    /// address the name resolves to, round-robin, resolved again every <see cref="TesseraChannel.DnsRefreshInterval"/>
    /// and when a connection drops. TLS when a CA or client certificate is set, else plain HTTP/2.</item>
    /// </list>
    /// A server that cannot be reached is skipped while the others answer, and so is one connected whose health (see
    /// <see cref="HealthCheckService"/>) is not SERVING. Anything else is refused with an
    /// <see cref="ArgumentException"/> when the client is made.
    /// </summary>
    public string Address { get; set; } = DefaultAddress;

    /// <summary>
    /// The deadline of every unary call, counted from when the call starts. Long-lived streams (list, watch,
    /// chat, sync, bulk create) get no deadline unless the caller passes one. Zero, negative or
    /// <see cref="Timeout.InfiniteTimeSpan"/> means no deadline.
    /// </summary>
    public TimeSpan DefaultDeadline { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// When set, sent with every call as <c>authorization: Bearer &lt;token&gt;</c>. The client copies it when made;
    /// later, set <see cref="TesseraClient.AccessToken"/> (or call <see cref="TesseraClient.LoginAsync"/>) instead.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// A PEM file with the CA certificate(s) to trust for the server's certificate over https, instead of the
    /// system's trust store (e.g. the <c>ca.pem</c> of <c>tessera certs dev</c>). The host name is still checked.
    /// </summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>A PEM certificate to present to the server (mutual TLS); its key is in <see cref="ClientKeyPath"/>.</summary>
    public string? ClientCertificatePath { get; set; }

    /// <summary>The PEM (PKCS#8 or PKCS#1/SEC1) private key of <see cref="ClientCertificatePath"/>; unset: the key is in the certificate's file.</summary>
    public string? ClientKeyPath { get; set; }

    /// <summary>How long a connection may be idle before the client pings the server (keepalive).</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the client waits for a keepalive ping's answer before it drops the connection.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>
    /// For an address of several servers or a <c>dns:///</c> name: the grpc.health.v1 service whose status each
    /// connected server is watched for (client-side health checking, gRPC proposal A17); calls go only to servers that
    /// report it SERVING, and come back to one as soon as it does again. A server without a health service gets calls
    /// as if unchecked. <c>""</c> watches the server's overall status; null turns health checking off (calls go to
    /// every connected server). Ignored for a single server.
    /// </summary>
    public string? HealthCheckService { get; set; } = DefaultHealthCheckService;

    /// <summary>The default <see cref="HealthCheckService"/>: the user service, which the SDK's calls go to.</summary>
    public const string DefaultHealthCheckService = "user.v1.UserService";

    /// <summary>A copy of these options that reaches <paramref name="address"/> instead (e.g. another replica).</summary>
    public TesseraClientOptions WithAddress(string address) => new()
    {
        Address = address,
        DefaultDeadline = DefaultDeadline,
        AccessToken = AccessToken,
        CaCertificatePath = CaCertificatePath,
        ClientCertificatePath = ClientCertificatePath,
        ClientKeyPath = ClientKeyPath,
        KeepAlivePingDelay = KeepAlivePingDelay,
        KeepAlivePingTimeout = KeepAlivePingTimeout,
        HealthCheckService = HealthCheckService,
    };
}
