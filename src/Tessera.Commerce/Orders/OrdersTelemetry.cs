using System.Diagnostics;

namespace Tessera.Commerce.Orders;

/// <summary>
/// The orders service's traces: a span per saga step and per store step. Starting one costs nothing when no listener
/// (OpenTelemetry) is attached: <see cref="ActivitySource.StartActivity(string, ActivityKind)"/> then returns null.
/// </summary>
public static class OrdersTelemetry
{
    public const string SourceName = "Tessera.Commerce.Orders";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>A span for one saga step of <paramref name="orderId"/>.</summary>
    public static Activity? Step(string name, string orderId)
    {
        var activity = Source.StartActivity("orders.saga." + name);
        activity?.SetTag("order.id", orderId);
        return activity;
    }

    /// <summary>A span for one store operation.</summary>
    public static Activity? Store(string name) => Source.StartActivity("orders.store." + name);
}
