using System.Net;

namespace Tessera.Client;

/// <summary>
/// What <see cref="TesseraClientOptions.Address"/> names: one server (<c>http(s)://host:port</c>), a fixed list of
/// servers (<c>http://a:50051,http://b:50051</c>), or a DNS name whose every address is a server
/// (<c>dns:///host:port</c>). A list and a DNS name are balanced per call (<c>round_robin</c>).
/// </summary>
internal sealed record TesseraAddress
{
    /// <summary>The forms an address may take, for error messages.</summary>
    public const string AcceptedForms =
        "use http://host:port or https://host:port (host:port alone means http://, or https:// when a CA or client certificate is set), " +
        "a comma-separated list of those (calls go round-robin over them), " +
        "or dns:///host:port (round-robin over every address the name resolves to)";

    private TesseraAddress(Uri target, bool tls, IReadOnlyList<DnsEndPoint>? servers)
    {
        Target = target;
        Tls = tls;
        Servers = servers;
    }

    /// <summary>The channel's address: the server's http(s) URI, <c>dns:///host:port</c>, or <c>static:///</c> and the list.</summary>
    public Uri Target { get; }

    /// <summary>Whether calls go over TLS (https, or for <c>dns:///</c> a CA or client certificate given).</summary>
    public bool Tls { get; }

    /// <summary>The servers of a list; null for one server or a DNS name.</summary>
    public IReadOnlyList<DnsEndPoint>? Servers { get; }

    /// <summary>True for a list or a DNS name: the channel resolves the address and balances calls round-robin.</summary>
    public bool IsBalanced => Target.Scheme is not ("http" or "https");

    /// <summary>Reads an address; <paramref name="tlsConfigured"/> (a CA or client certificate is set) makes <c>host:port</c> https and <c>dns:///</c> TLS.</summary>
    /// <exception cref="ArgumentException">The address is none of the <see cref="AcceptedForms"/>.</exception>
    public static TesseraAddress Parse(string address, bool tlsConfigured)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            throw Invalid(address, "it is empty");
        }

        address = address.Trim();
        if (address.Contains(',', StringComparison.Ordinal))
        {
            return ParseList(address, tlsConfigured);
        }

        if (address.StartsWith("dns:", StringComparison.OrdinalIgnoreCase))
        {
            return ParseDns(address, tlsConfigured);
        }

        var server = ParseServer(address, address, tlsConfigured);
        return new TesseraAddress(server, server.Scheme == Uri.UriSchemeHttps, servers: null);
    }

    /// <summary><c>dns:///host:port</c>, or <c>dns://authority/host:port</c> (grpc-dotnet resolves with the system's resolver and ignores the authority).</summary>
    private static TesseraAddress ParseDns(string address, bool tlsConfigured)
    {
        if (!address.StartsWith("dns://", StringComparison.OrdinalIgnoreCase))
        {
            throw Invalid(address, "a DNS address is dns:///host:port");
        }

        var rest = address["dns://".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var hostAndPort = slash < 0 ? "" : rest[(slash + 1)..];
        CheckHostAndPort(address, hostAndPort, "a DNS address is dns:///host:port");
        return new TesseraAddress(new Uri($"dns:///{hostAndPort}", UriKind.Absolute), tlsConfigured, servers: null);
    }

    private static TesseraAddress ParseList(string address, bool tlsConfigured)
    {
        var parts = address.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Any(part => part.Length == 0))
        {
            throw Invalid(address, "the list has an empty entry");
        }

        if (parts.Any(part => part.StartsWith("dns:", StringComparison.OrdinalIgnoreCase)))
        {
            throw Invalid(address, "a list holds http(s) addresses only; a dns:/// address stands alone");
        }

        var servers = parts.Select(part => ParseServer(address, part, tlsConfigured)).ToList();
        if (servers.Select(server => server.Scheme).Distinct(StringComparer.Ordinal).Count() > 1)
        {
            throw Invalid(address, "the list mixes http:// and https:// addresses");
        }

        var endpoints = servers.Select(server => new DnsEndPoint(server.IdnHost.Trim('[', ']'), server.Port)).ToList();
        var target = new Uri("static:///" + string.Join(',', servers.Select(server => server.Authority)), UriKind.Absolute);
        return new TesseraAddress(target, servers[0].Scheme == Uri.UriSchemeHttps, endpoints);
    }

    /// <summary>One server: <c>http(s)://host[:port]</c>, or <c>host:port</c> with the scheme <paramref name="tlsConfigured"/> implies.</summary>
    private static Uri ParseServer(string address, string server, bool tlsConfigured)
    {
        var text = server.Contains("://", StringComparison.Ordinal) ? server : (tlsConfigured ? "https://" : "http://") + server;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") || uri.Host.Length == 0)
        {
            throw Invalid(address, $"'{server}' is not an http:// or https:// address");
        }

        return uri;
    }

    /// <summary>A <c>host:port</c> with both parts (a DNS name's servers listen on Tessera's port, not on 80 or 443).</summary>
    private static void CheckHostAndPort(string address, string hostAndPort, string form)
    {
        if (hostAndPort.Length == 0 || hostAndPort.Contains('/', StringComparison.Ordinal)
            || !Uri.TryCreate("http://" + hostAndPort, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
        {
            throw Invalid(address, form);
        }

        if (!hostAndPort.EndsWith(":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal))
        {
            throw Invalid(address, $"{form}: the port is missing");
        }
    }

    private static ArgumentException Invalid(string address, string why) =>
        new($"'{address}' is not a server address ({why}): {AcceptedForms}");
}
