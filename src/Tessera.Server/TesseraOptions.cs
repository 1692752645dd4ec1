using System.Globalization;

namespace Tessera.Server;

/// <summary>
/// The server's settings. Each is a flag (<c>--data-dir DIR</c>), an environment variable (<c>TESSERA_DATA_DIR</c>)
/// or a configuration key (<c>data-dir</c> in appsettings.json); flags win. README's Configuration table lists them.
/// </summary>
public sealed record TesseraOptions
{
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;
    public const int DefaultRateLimit = 50_000;
    public const int DefaultAnonymousRateLimit = 200;

    public IReadOnlyList<string> Urls { get; init; } = [TesseraHost.DefaultUrls];

    public string DataDirectory { get; init; } = "";

    public int MaxReceiveMessageSize { get; init; } = DefaultMaxReceiveMessageSize;

    /// <summary>Where /metrics is served (HTTP/1.1, no TLS); none when empty.</summary>
    public IReadOnlyList<string> MetricsUrls { get; init; } = [];

    /// <summary>False with <c>--auth none</c>: every call is allowed, for local development only.</summary>
    public bool AuthEnabled { get; init; } = true;

    public string? TlsCertificate { get; init; }

    public string? TlsKey { get; init; }

    /// <summary>When set, clients must present a certificate signed by this CA (mTLS).</summary>
    public string? TlsClientCa { get; init; }

    public bool JsonLogs { get; init; }

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

    public bool TlsEnabled => TlsCertificate is not null;

    public static TesseraOptions Read(IConfiguration configuration)
    {
        string? Get(string key) => configuration[key] is { Length: > 0 } value ? value : null;
        int GetInt(string key, int fallback) => Get(key) is { } text ? ParseInt(key, text) : fallback;

        var tlsCert = Get("tls-cert");
        var auth = Get("auth") ?? "jwt";
        if (auth is not ("jwt" or "none"))
        {
            throw new OptionsException($"--auth must be 'jwt' or 'none', not '{auth}'");
        }

        if ((tlsCert is null) != (Get("tls-key") is null))
        {
            throw new OptionsException("--tls-cert and --tls-key go together: give both PEM files, or neither");
        }

        if (Get("tls-client-ca") is not null && tlsCert is null)
        {
            throw new OptionsException("--tls-client-ca (mTLS) needs TLS: give --tls-cert and --tls-key too");
        }

        var dataDir = Get("data-dir") ?? Environment.GetEnvironmentVariable("TESSERA_DATA_DIR") ?? "data";
        return new TesseraOptions
        {
            Urls = Split(Get("urls")) is { Count: > 0 } urls ? urls : [tlsCert is null ? TesseraHost.DefaultUrls : TesseraHost.DefaultTlsUrls],
            DataDirectory = Path.GetFullPath(dataDir, Environment.CurrentDirectory),
            MetricsUrls = Split(Get("metrics-urls")),
            AuthEnabled = auth == "jwt",
            TlsCertificate = tlsCert,
            TlsKey = Get("tls-key"),
            TlsClientCa = Get("tls-client-ca"),
            JsonLogs = Get("log-format") switch
            {
                null or "text" => false,
                "json" => true,
                var other => throw new OptionsException($"--log-format must be 'text' or 'json', not '{other}'"),
            },
            JwtKeyFile = Get("jwt-key-file"),
            JwtKey = Get("jwt-key") ?? Environment.GetEnvironmentVariable("TESSERA_JWT_KEY"),
            JwtIssuer = Get("jwt-issuer") ?? "tessera",
            JwtAudience = Get("jwt-audience") ?? "tessera",
            AccessTokenLifetime = TimeSpan.FromMinutes(GetInt("access-token-minutes", 15)),
            RateLimitPerSecond = GetInt("rate-limit", DefaultRateLimit),
            AnonymousRateLimitPerSecond = GetInt("anonymous-rate-limit", DefaultAnonymousRateLimit),
            MaxConcurrentStreams = GetInt("max-streams", 200),
            MaxReceiveMessageSize = GetInt("max-message-bytes", DefaultMaxReceiveMessageSize),
            ShutdownTimeout = TimeSpan.FromSeconds(GetInt("shutdown-seconds", 10)),
            BenchService = Get("bench-service") switch
            {
                null or "false" => false,
                "true" => true,
                var other => throw new OptionsException($"--bench-service must be 'true' or 'false', not '{other}'"),
            },
        };
    }

    private static List<string> Split(string? urls) =>
        urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];

    private static int ParseInt(string key, string text) =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? value
            : throw new OptionsException($"--{key} must be a whole number, not '{text}'");
}

/// <summary>A setting that cannot work; the server refuses to start and says why.</summary>
public sealed class OptionsException(string message) : Exception(message);
