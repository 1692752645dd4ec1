using Microsoft.Extensions.Options;

namespace Tessera.Server;

/// <summary>Checks settings that bind but cannot work; each failure is one line naming the flag.</summary>
public sealed class TesseraSettingsValidator : IValidateOptions<TesseraSettings>
{
    public ValidateOptionsResult Validate(string? name, TesseraSettings options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        void Check(bool ok, string failure)
        {
            if (!ok)
            {
                failures.Add(failure);
            }
        }

        Check(options.Store is "sqlite" or "postgres", $"--store must be 'sqlite' or 'postgres', not '{options.Store}'");
        Check(options.Store != "sqlite" || !Given(options.Connection), "--connection is for --store postgres; SQLite keeps its file in --data-dir");
        Check(options.Auth is "jwt" or "none", $"--auth must be 'jwt' or 'none', not '{options.Auth}'");
        Check(options.LogFormat is "text" or "json", $"--log-format must be 'text' or 'json', not '{options.LogFormat}'");
        Check(options.CallLog is "all" or "failed" or "none", $"--call-log must be 'all', 'failed' or 'none', not '{options.CallLog}'");
        Check(Given(options.TlsCert) == Given(options.TlsKey), "--tls-cert and --tls-key go together: give both PEM files, or neither");
        Check(!Given(options.TlsClientCa) || Given(options.TlsCert), "--tls-client-ca (mTLS) needs TLS: give --tls-cert and --tls-key too");
        Check(options.AccessTokenMinutes > 0, $"--access-token-minutes must be 1 or more, not {options.AccessTokenMinutes}");
        Check(options.RateLimit >= 0, $"--rate-limit must be 0 (off) or more, not {options.RateLimit}");
        Check(options.AnonymousRateLimit >= 0, $"--anonymous-rate-limit must be 0 (unlimited) or more, not {options.AnonymousRateLimit}");
        Check(options.MaxStreams > 0, $"--max-streams must be 1 or more, not {options.MaxStreams}");
        Check(options.MaxMessageBytes > 0, $"--max-message-bytes must be 1 or more, not {options.MaxMessageBytes}");
        Check(options.ShutdownSeconds >= 0, $"--shutdown-seconds must be 0 or more, not {options.ShutdownSeconds}");
        Check(TesseraServices.Unknown(options.Services) is not { } unknown,
            $"--services takes a comma-separated list of {TesseraServices.All}, not '{TesseraServices.Unknown(options.Services)}'");
        Check(TesseraServices.Parse(options.Services).Count > 0, $"--services must name at least one of {TesseraServices.All}");
        foreach (var (flag, value) in new[] { ("users-address", options.UsersAddress), ("inventory-address", options.InventoryAddress), ("payments-address", options.PaymentsAddress) })
        {
            Check(!Given(value) || Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https",
                $"--{flag} must be an http:// or https:// address such as http://127.0.0.1:50052, not '{value}'");
        }

        Check(!Given(options.OtlpEndpoint) || Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var otlp) && otlp.Scheme is "http" or "https",
            $"--otlp-endpoint must be an http:// or https:// address of an OTLP collector such as http://127.0.0.1:4317, not '{options.OtlpEndpoint}'");

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool Given(string? value) => !string.IsNullOrEmpty(value);
}
