namespace Tessera.Commerce.Payments;

/// <summary>A payment named by its id or by its order id (exactly one of the two is set).</summary>
public sealed record PaymentKey(string? PaymentId, string? OrderId)
{
    public static PaymentKey ById(string paymentId) => new(paymentId, null);

    public static PaymentKey ByOrder(string orderId) => new(null, orderId);

    public override string ToString() => PaymentId is not null ? $"payment_id {PaymentId}" : $"order_id {OrderId}";
}
