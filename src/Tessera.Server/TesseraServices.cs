namespace Tessera.Server;

/// <summary>
/// The services one Tessera process can serve, as <c>--services</c> names them. One process serves them all by default;
/// the same binary runs any subset, so each service can run as its own process (or set of replicas).
/// </summary>
public static class TesseraServices
{
    public const string Users = "users";
    public const string Inventory = "inventory";
    public const string Payments = "payments";
    public const string Orders = "orders";
    public const string Monitoring = "monitoring";

    public const string All = "users,inventory,payments,orders,monitoring";

    private static readonly string[] Known = All.Split(',');

    /// <summary>The names in a comma-separated list, trimmed and lower-cased.</summary>
    public static IReadOnlySet<string> Parse(string? list) =>
        (list ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(name => name.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);

    /// <summary>The first name in the list that is not a service, or null when all are.</summary>
    public static string? Unknown(string? list) => Parse(list).FirstOrDefault(name => !Known.Contains(name));
}
