using System.Text.RegularExpressions;

namespace Tessera.Commerce.Inventory;

/// <summary>The shapes the inventory accepts: SKUs, names, quantities, reservation lengths, ids.</summary>
public static partial class InventoryRules
{
    public const int MaxNameLength = 200;
    public const int MaxOrderIdLength = 64;
    public const int MaxRequestIdLength = 64;
    public const int MaxReasonLength = 200;
    public const int MaxLines = 100;
    public const int MaxCheckSkus = 1000;

    /// <summary>The largest stock a product may hold and the largest single adjustment, far from any overflow.</summary>
    public const long MaxStock = 1_000_000_000_000;

    public static readonly TimeSpan DefaultTtl = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan MinTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    public static bool IsSku(string? sku) => sku is not null && SkuPattern().IsMatch(sku);

    /// <summary>The key a SKU is looked up and made unique by (SKUs are ASCII, so this is exact).</summary>
    public static string Fold(string sku) => sku.ToLowerInvariant();

    public static string? SkuProblem(string? sku) =>
        IsSku(sku) ? null : "must be 1-64 characters of A-Z a-z 0-9 - _ .";

    public static string? NameProblem(string? name) =>
        string.IsNullOrWhiteSpace(name) ? "is required"
        : name.Length > MaxNameLength ? $"must be at most {MaxNameLength} characters"
        : null;

    public static string? TtlProblem(TimeSpan ttl) =>
        ttl < MinTtl || ttl > MaxTtl ? "must be between 1 second and 24 hours (unset means 15 minutes)" : null;

    [GeneratedRegex("^[A-Za-z0-9._-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex SkuPattern();
}
