using Grpc.Core;
using Grpc.Net.ClientFactory;
using Tessera.Commerce.Money;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Orders.Calls;

/// <summary><see cref="IPaymentGateway"/> over payment.v1.PaymentService.</summary>
public sealed class GrpcPaymentGateway(GrpcClientFactory clients, ServiceIdentity identity) : IPaymentGateway
{
    // Made per call from the factory (cheap; the channel is shared), so nothing resolves an address before the server listens.
    private PaymentService.PaymentServiceClient Client => clients.CreateClient<PaymentService.PaymentServiceClient>(typeof(PaymentService.PaymentServiceClient).Name);

    public async Task<Payment> ChargeAsync(long buyerId, string orderId, Amount amount, string paymentMethodToken, CancellationToken cancellationToken)
    {
        var request = new ProcessPaymentRequest { OrderId = orderId, Amount = amount.ToProto(), PaymentMethodToken = paymentMethodToken };
        return (await Client.ProcessPaymentAsync(request, Options(buyerId, cancellationToken))).Payment;
    }

    public async Task<Payment?> FindPaymentAsync(long buyerId, string orderId, CancellationToken cancellationToken)
    {
        try
        {
            return (await Client.GetPaymentAsync(new GetPaymentRequest { OrderId = orderId }, Options(buyerId, cancellationToken))).Payment;
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<Payment> RefundAsync(long buyerId, string orderId, string requestId, string reason, CancellationToken cancellationToken) =>
        (await Client.RefundPaymentAsync(
            new RefundPaymentRequest { OrderId = orderId, RequestId = requestId, Reason = reason }, Options(buyerId, cancellationToken))).Payment;

    private CallOptions Options(long buyerId, CancellationToken cancellationToken) => identity.For(buyerId, PeerCalls.Deadline(), cancellationToken);
}
