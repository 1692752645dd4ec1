using System.Globalization;
using System.Net;

namespace Tessera.Fuzz.Network;

/// <summary>
/// <c>--grpc 127.0.0.1:PORT --web 127.0.0.1:PORT [--requests N] [--seconds S] [--seed N]</c>. Only loopback
/// addresses (127.0.0.1, ::1) are accepted: this sends garbage and must never reach another machine.
/// </summary>
internal sealed record NetworkFuzzOptions(IPEndPoint Grpc, IPEndPoint Web, int Requests, TimeSpan Duration, int Seed)
{
    public const string Usage = "usage: Tessera.Fuzz.Network --grpc 127.0.0.1:PORT --web 127.0.0.1:PORT [--requests 3000] [--seconds 45] [--seed N]";

    /// <summary>The options, or an <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static NetworkFuzzOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        if (args.Length % 2 != 0 || values.Keys.Any(k => k is not ("--grpc" or "--web" or "--requests" or "--seconds" or "--seed")))
        {
            throw new ArgumentException(Usage);
        }

        return new NetworkFuzzOptions(
            Loopback(values.GetValueOrDefault("--grpc")),
            Loopback(values.GetValueOrDefault("--web")),
            Number(values, "--requests", 3000),
            TimeSpan.FromSeconds(Number(values, "--seconds", 45)),
            values.ContainsKey("--seed") ? Number(values, "--seed", 0) : Random.Shared.Next());
    }

    private static IPEndPoint Loopback(string? text)
    {
        if (text is null || !IPEndPoint.TryParse(text, out var endpoint) || endpoint.Port == 0)
        {
            throw new ArgumentException($"'{text}' is not an address with a port; {Usage}");
        }

        if (!endpoint.Address.Equals(IPAddress.Loopback) && !endpoint.Address.Equals(IPAddress.IPv6Loopback))
        {
            throw new ArgumentException($"refusing {endpoint}: the network fuzzer only sends to 127.0.0.1 or ::1");
        }

        return endpoint;
    }

    private static int Number(Dictionary<string, string> values, string name, int fallback) =>
        !values.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n >= 0 ? n
        : throw new ArgumentException($"{name} must be a whole number, not '{text}'");
}
