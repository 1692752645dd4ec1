using System.Diagnostics;

namespace Tessera.Commerce.Inventory;

/// <summary>The inventory's tracing source: a span per store step (free when nobody listens).</summary>
public static class InventoryTelemetry
{
    public const string SourceName = "Tessera.Commerce.Inventory";

    public static readonly ActivitySource Source = new(SourceName);
}
