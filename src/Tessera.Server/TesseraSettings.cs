using Microsoft.Extensions.Configuration;

namespace Tessera.Server;

/// <summary>
/// The server's settings as written: each is a flag (<c>--rate-limit 50</c>), a configuration key of the same name
/// (<c>"rate-limit": 50</c> in appsettings.json) or, for those that say so, an environment variable. Bound by the
/// configuration binder, checked by <see cref="TesseraSettingsValidator"/>, and turned into the
/// <see cref="TesseraOptions"/> the server runs with. README's Configuration table lists them.
/// </summary>
public sealed class TesseraSettings
{
    [ConfigurationKeyName("urls")]
    public string? Urls { get; set; }

    [ConfigurationKeyName("data-dir")]
    public string? DataDir { get; set; }

    [ConfigurationKeyName("store")]
    public string Store { get; set; } = "sqlite";

    [ConfigurationKeyName("connection")]
    public string? Connection { get; set; }

    [ConfigurationKeyName("auth")]
    public string Auth { get; set; } = "jwt";

    [ConfigurationKeyName("tls-cert")]
    public string? TlsCert { get; set; }

    [ConfigurationKeyName("tls-key")]
    public string? TlsKey { get; set; }

    [ConfigurationKeyName("tls-client-ca")]
    public string? TlsClientCa { get; set; }

    [ConfigurationKeyName("log-format")]
    public string LogFormat { get; set; } = "text";

    [ConfigurationKeyName("call-log")]
    public string CallLog { get; set; } = "failed";

    [ConfigurationKeyName("jwt-key-file")]
    public string? JwtKeyFile { get; set; }

    [ConfigurationKeyName("jwt-key")]
    public string? JwtKey { get; set; }

    [ConfigurationKeyName("jwt-issuer")]
    public string JwtIssuer { get; set; } = "tessera";

    [ConfigurationKeyName("jwt-audience")]
    public string JwtAudience { get; set; } = "tessera";

    [ConfigurationKeyName("access-token-minutes")]
    public int AccessTokenMinutes { get; set; } = 15;

    [ConfigurationKeyName("rate-limit")]
    public int RateLimit { get; set; } = TesseraOptions.DefaultRateLimit;

    [ConfigurationKeyName("anonymous-rate-limit")]
    public int AnonymousRateLimit { get; set; } = TesseraOptions.DefaultAnonymousRateLimit;

    [ConfigurationKeyName("max-streams")]
    public int MaxStreams { get; set; } = 200;

    [ConfigurationKeyName("max-message-bytes")]
    public int MaxMessageBytes { get; set; } = TesseraOptions.DefaultMaxReceiveMessageSize;

    [ConfigurationKeyName("shutdown-seconds")]
    public int ShutdownSeconds { get; set; } = 10;

    [ConfigurationKeyName("metrics-urls")]
    public string? MetricsUrls { get; set; }

    [ConfigurationKeyName("web-urls")]
    public string? WebUrls { get; set; }

    [ConfigurationKeyName("cors-origins")]
    public string? CorsOrigins { get; set; }

    [ConfigurationKeyName("otlp-endpoint")]
    public string? OtlpEndpoint { get; set; }

    [ConfigurationKeyName("services")]
    public string Services { get; set; } = TesseraServices.All;

    [ConfigurationKeyName("users-address")]
    public string? UsersAddress { get; set; }

    [ConfigurationKeyName("inventory-address")]
    public string? InventoryAddress { get; set; }

    [ConfigurationKeyName("payments-address")]
    public string? PaymentsAddress { get; set; }

    [ConfigurationKeyName("bench-service")]
    public bool BenchService { get; set; }
}
