using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Tessera.Cli.Certificates;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera certs dev</c>: a development CA with a server and a client certificate, for TLS and mTLS on this machine.</summary>
internal static class CertsCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var certs = new Command("certs", "Make certificates for TLS");
        certs.Subcommands.Add(DevCommand(globals));
        return certs;
    }

    private static Command DevCommand(GlobalOptions globals)
    {
        var outDir = new Option<string>("--out")
        {
            Description = "The directory to write into (made if missing)",
            HelpName = "dir",
            DefaultValueFactory = _ => "certs",
        };
        var days = new Option<int>("--days")
        {
            Description = $"How many days the certificates are valid (1-{DevCertificates.MaxDays})",
            DefaultValueFactory = _ => DevCertificates.DefaultDays,
        };
        var force = new Option<bool>("--force") { Description = "Replace files that already exist" };
        days.Validators.Add(result =>
        {
            // Only a whole number is checked here; anything else is already a parse error (GetValue would throw).
            if (result.Tokens is [var token] && int.TryParse(token.Value, CultureInfo.InvariantCulture, out var value) && value is < 1 or > DevCertificates.MaxDays)
            {
                result.AddError($"--days must be 1 to {DevCertificates.MaxDays}");
            }
        });

        var command = new Command(
            "dev",
            "Write a development CA (ca.pem, ca-key.pem), a server certificate for localhost, 127.0.0.1 and ::1 "
            + "(server.pem, server-key.pem) and a client certificate (client.pem, client-key.pem). Not for production.")
        {
            outDir, days, force,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var directory = parse.GetRequiredValue(outDir);
            var validDays = parse.GetValue(days);
            var now = DateTimeOffset.UtcNow;
            IReadOnlyList<string> written;
            try
            {
                written = DevCertificates.Write(directory, DevCertificates.Create(validDays, now), parse.GetValue(force));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            var notAfter = now.AddDays(validDays).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            await output.WriteLineAsync(parse.GetValue(globals.Output) == OutputFormat.Json
                ? JsonSerializer.Serialize(new { files = written, validUntil = notAfter })
                : Report(directory, written, notAfter)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Report(string directory, IReadOnlyList<string> written, string notAfter)
    {
        string P(string name) => Quote(Path.Combine(directory, name));
        var lines = new List<string>();
        lines.AddRange(written.Select(path => $"wrote {path}"));
        lines.Add($"valid until {notAfter}; the server certificate is for {string.Join(", ", DevCertificates.ServerNames)}; keep the *-key.pem files private");
        lines.Add("");
        lines.Add($"server, TLS:   --tls-cert {P(DevCertificates.ServerFile)} --tls-key {P(DevCertificates.ServerKeyFile)}");
        lines.Add($"server, mTLS:  add --tls-client-ca {P(DevCertificates.CaFile)}");
        lines.Add($"client, TLS:   --address https://127.0.0.1:50051 --ca {P(DevCertificates.CaFile)}");
        lines.Add($"client, mTLS:  add --cert {P(DevCertificates.ClientFile)} --key {P(DevCertificates.ClientKeyFile)}");
        return string.Join(Environment.NewLine, lines);
    }

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"'{path}'" : path;
}
