using System.Diagnostics;

namespace Tessera.Commerce.Payments;

/// <summary>The payment service's tracing: a span around each store and processor step.</summary>
public static class PaymentsTelemetry
{
    public const string SourceName = "Tessera.Commerce.Payments";

    public static readonly ActivitySource Source = new(SourceName);
}
