using Tessera.Users.Storage;

namespace Tessera.Server;

/// <summary>
/// The settings the server runs with, made from <see cref="TesseraSettings"/> (flags, configuration keys and
/// environment variables; flags win) by <see cref="Read"/>. README's Configuration table lists them.
/// </summary>
public sealed partial record TesseraOptions
{
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;
    public const int DefaultRateLimit = 50_000;
    public const int DefaultAnonymousRateLimit = 200;

    public IReadOnlyList<string> Urls { get; init; } = [TesseraHost.DefaultUrls];

    public string DataDirectory { get; init; } = "";

    /// <summary>Where the data lives: SQLite in <see cref="DataDirectory"/> (the default), or PostgreSQL at a connection string.</summary>
    public StoreOptions Store { get; init; } = new(StoreEngine.Sqlite, "");

    public int MaxReceiveMessageSize { get; init; } = DefaultMaxReceiveMessageSize;

    /// <summary>
    /// Where browsers and HTTP clients are served (<c>--web-urls</c>): the console, REST (JSON transcoding), gRPC-Web,
    /// /openapi.json and /docs, over HTTP/1.1 (and HTTP/2 by ALPN with TLS). None with <c>--web-urls none</c>.
    /// </summary>
    public IReadOnlyList<string> WebUrls { get; init; } = [TesseraHost.DefaultWebUrls];

    /// <summary>Origins whose pages may call the web address from a browser (<c>--cors-origins</c>); none by default.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Where /metrics is served (HTTP/1.1, no TLS); none when empty.</summary>
    public IReadOnlyList<string> MetricsUrls { get; init; } = [];

    /// <summary>False with <c>--auth none</c>: every call is allowed, for local development only.</summary>
    public bool AuthEnabled { get; init; } = true;

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>When set, clients must present a certificate signed by this CA (mTLS).</summary>
    public string? TlsClientCa { get; init; }

    public bool JsonLogs { get; init; }

    /// <summary>Which calls get a line in the log (<c>--call-log</c>): those that did not end OK, by default.</summary>
    public Observability.CallLogMode CallLog { get; init; } = Observability.CallLogMode.Failed;

    public string? JwtKeyFile { get; init; }

    public string? JwtKey { get; init; }

    public string JwtIssuer { get; init; } = "tessera";

    public string JwtAudience { get; init; } = "tessera";

    public TimeSpan AccessTokenLifetime { get; init; } = TimeSpan.FromMinutes(15);

    public TimeSpan RefreshTokenLifetime { get; init; } = TimeSpan.FromDays(14);

    /// <summary>Calls per second each signed-in user may make (bursts up to the same number); 0 turns rate limiting off altogether.</summary>
    public int RateLimitPerSecond { get; init; } = DefaultRateLimit;

    /// <summary>Calls per second each peer address may make without signing in; 0 lets anonymous calls through unlimited.</summary>
    public int AnonymousRateLimitPerSecond { get; init; } = DefaultAnonymousRateLimit;

    public int MaxConcurrentStreams { get; init; } = 200;

    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>With <c>--bench-service</c>: also serve bench.v1.BenchService (a no-op RPC and a hash-rate probe) for <c>tessera bench</c>.</summary>
    public bool BenchService { get; init; }

    /// <summary>Which services this process serves (<c>--services</c>; all by default), named as in <see cref="TesseraServices"/>.</summary>
    public IReadOnlySet<string> Services { get; init; } = TesseraServices.Parse(TesseraServices.All);

    /// <summary>Where the services an order calls are served; null for each one this process is to call on itself.</summary>
    public Tessera.Commerce.PeerAddresses Peers { get; init; } = new();

    /// <summary>Where traces are exported over OTLP (<c>--otlp-endpoint</c>); null: no tracing at all.</summary>
    public Uri? OtlpEndpoint { get; init; }

    public bool TlsEnabled => TlsCertificate is not null;

    public bool Serves(string service) => Services.Contains(service);

    /// <summary>
    /// Whether this process opens the user directory: when it serves <c>users</c>, and on PostgreSQL always (the users
    /// table is shared there, so access tokens are checked against it for revocation, and the chat bus's tables are in
    /// its schema). On SQLite a process without <c>users</c> opens no user database: its token checks are the
    /// signature and expiry, so a revocation reaches it only when the access token expires (at most
    /// <c>--access-token-minutes</c>).
    /// </summary>
    public bool KeepsUserStore => Serves(TesseraServices.Users) || Store.Engine == StoreEngine.Postgres;

    /// <summary>Binds and checks the settings; an OptionsException says in one line which flag cannot work and why.</summary>
    public static TesseraOptions Read(IConfiguration configuration)
    {
        TesseraSettings settings;
        try
        {
            settings = configuration.Get<TesseraSettings>() ?? new TesseraSettings();
        }
        catch (InvalidOperationException e)
        {
            throw new OptionsException(NotConvertible(configuration, e));
        }

        var validation = new TesseraSettingsValidator().Validate(Microsoft.Extensions.Options.Options.DefaultName, settings);
        if (validation.Failed)
        {
            throw new OptionsException(validation.Failures.First());
        }

        return From(settings);
    }

    private static TesseraOptions From(TesseraSettings settings)
    {
        var tlsCert = Given(settings.TlsCert);
        var dataDir = Path.GetFullPath(Given(settings.DataDir) ?? Given(Environment.GetEnvironmentVariable("TESSERA_DATA_DIR")) ?? "data", Environment.CurrentDirectory);
        var jwtKey = Given(settings.JwtKey) ?? Given(Environment.GetEnvironmentVariable("TESSERA_JWT_KEY"));
        var store = ReadStore(settings, dataDir);
        var keyGiven = jwtKey is not null || Given(settings.JwtKeyFile) is not null;
        if (store.Engine == StoreEngine.Postgres && settings.Auth == "jwt" && !keyGiven)
        {
            // A replica must never make up a key of its own: the others would refuse every token it signs.
            throw new OptionsException(
                "--store postgres runs replicas that must accept each other's tokens: give every replica the same signing key " +
                SharedKeyHint);
        }

        var services = TesseraServices.Parse(settings.Services);
        if (settings.Auth == "jwt" && !keyGiven && !TesseraServices.Parse(TesseraServices.All).IsSubsetOf(services))
        {
            // Tokens are signed by the process serving users and checked by every other one.
            throw new OptionsException(
                $"--services {string.Join(',', services)} runs beside processes serving the other services, which must accept each other's tokens: "
                + "give every process the same signing key " + SharedKeyHint);
        }

        return new TesseraOptions
        {
            Urls = Split(settings.Urls) is { Count: > 0 } urls ? urls : [tlsCert is null ? TesseraHost.DefaultUrls : TesseraHost.DefaultTlsUrls],
            DataDirectory = dataDir,
            Store = store,
            MetricsUrls = Split(settings.MetricsUrls),
            WebUrls = WebUrlsFrom(settings.WebUrls, tlsCert is not null),
            CorsOrigins = Split(settings.CorsOrigins?.Replace(",", ";", StringComparison.Ordinal)),
            AuthEnabled = settings.Auth == "jwt",
            TlsCertificate = tlsCert,
            TlsKey = Given(settings.TlsKey),
            TlsClientCa = Given(settings.TlsClientCa),
            JsonLogs = settings.LogFormat == "json",
            CallLog = settings.CallLog switch { "all" => Observability.CallLogMode.All, "none" => Observability.CallLogMode.None, _ => Observability.CallLogMode.Failed },
            JwtKeyFile = Given(settings.JwtKeyFile),
            JwtKey = jwtKey,
            JwtIssuer = settings.JwtIssuer,
            JwtAudience = settings.JwtAudience,
            AccessTokenLifetime = TimeSpan.FromMinutes(settings.AccessTokenMinutes),
            RateLimitPerSecond = settings.RateLimit,
            AnonymousRateLimitPerSecond = settings.AnonymousRateLimit,
            MaxConcurrentStreams = settings.MaxStreams,
            MaxReceiveMessageSize = settings.MaxMessageBytes,
            ShutdownTimeout = TimeSpan.FromSeconds(settings.ShutdownSeconds),
            BenchService = settings.BenchService,
            Services = services,
            OtlpEndpoint = Address(settings.OtlpEndpoint),
            Peers = new Tessera.Commerce.PeerAddresses(Address(settings.UsersAddress), Address(settings.InventoryAddress), Address(settings.PaymentsAddress)),
        };
    }

    private const string SharedKeyHint = "with --jwt-key-file or TESSERA_JWT_KEY (make one with: openssl rand -base64 48)";

    private static StoreOptions ReadStore(TesseraSettings settings, string dataDirectory)
    {
        if (settings.Store != "postgres")
        {
            return new StoreOptions(StoreEngine.Sqlite, dataDirectory);
        }

        var connection = Given(settings.Connection) ?? Given(Environment.GetEnvironmentVariable("TESSERA_CONNECTION"))
            ?? throw new OptionsException("--store postgres needs a connection string: --connection \"Host=...;Database=...;Username=...\" or TESSERA_CONNECTION");
        return new StoreOptions(StoreEngine.Postgres, dataDirectory, connection);
    }

    private static List<string> WebUrlsFrom(string? value, bool tls)
    {
        if (string.Equals(value?.Trim(), "none", StringComparison.OrdinalIgnoreCase))
        {
            return [];
        }

        return Split(value) is { Count: > 0 } urls ? urls : [tls ? TesseraHost.DefaultTlsWebUrls : TesseraHost.DefaultWebUrls];
    }

    private static Uri? Address(string? value) => Given(value) is { } address ? new Uri(address, UriKind.Absolute) : null;

    private static string? Given(string? value) => string.IsNullOrEmpty(value) ? null : value;

    private static List<string> Split(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];

    /// <summary>
    /// The binder's "Failed to convert configuration value at 'KEY' to type 'T'" as a line a user can act on. The
    /// binder names the key (and the type) in its message only, so they are read from there.
    /// </summary>
    private static string NotConvertible(IConfiguration configuration, InvalidOperationException e)
    {
        var match = ConversionFailure().Match(e.Message);
        if (!match.Success)
        {
            return e.Message;
        }

        var key = match.Groups["key"].Value;
        var expected = match.Groups["type"].Value == typeof(bool).FullName ? "'true' or 'false'" : "a whole number";
        return $"--{key} must be {expected}, not '{configuration[key]}'";
    }

    [System.Text.RegularExpressions.GeneratedRegex("at '(?<key>[^']+)' to type '(?<type>[^']+)'")]
    private static partial System.Text.RegularExpressions.Regex ConversionFailure();
}
