using Grpc.Core;
using Tessera.Commerce.Money;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary><see cref="IPaymentGateway"/> over payment.v1.PaymentService.</summary>
public sealed class GrpcPaymentGateway(PaymentService.PaymentServiceClient client, ServiceIdentity identity) : IPaymentGateway
{
    public async Task<Payment> ChargeAsync(long buyerId, string orderId, Amount amount, string paymentMethodToken, CancellationToken cancellationToken)
    {
        var request = new ProcessPaymentRequest { OrderId = orderId, Amount = amount.ToProto(), PaymentMethodToken = paymentMethodToken };
        return (await client.ProcessPaymentAsync(request, Options(buyerId, cancellationToken))).Payment;
    }

    public async Task<Payment?> FindPaymentAsync(long buyerId, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return (await client.GetPaymentAsync(new GetPaymentRequest { OrderId = orderId }, Options(buyerId, cancellationToken))).Payment;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Payment> RefundAsync(long buyerId, string orderId, string requestId, string reason, CancellationToken cancellationToken) =>
        (await client.RefundPaymentAsync(
            new RefundPaymentRequest { OrderId = orderId, RequestId = requestId, Reason = reason }, Options(buyerId, cancellationToken))).Payment;

    private CallOptions Options(long buyerId, CancellationToken cancellationToken) => identity.For(buyerId, PeerCalls.Deadline(), cancellationToken);
}
