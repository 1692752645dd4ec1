using Tessera.Commerce.Money;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary>
/// The payment.v1 calls the saga makes, each on behalf of <c>buyerId</c>. Errors are the RpcException of the call. All
/// idempotent: ProcessPayment on the order id (a retry charges once), RefundPayment on its request_id.
/// </summary>
public interface IPaymentGateway
{
    /// <summary>Charges the order; a decline is a payment with status DECLINED, not an error.</summary>
    Task<Payment> ChargeAsync(long buyerId, string orderId, Amount amount, string paymentMethodToken, CancellationToken cancellationToken);

    /// <summary>The order's payment, or null when none was made.</summary>
    Task<Payment?> FindPaymentAsync(long buyerId, string orderId, CancellationToken cancellationToken);

    /// <summary>Refunds whatever of the order's payment is not refunded yet, once per <paramref name="requestId"/>.</summary>
    Task<Payment> RefundAsync(long buyerId, string orderId, string requestId, string reason, CancellationToken cancellationToken);
}
