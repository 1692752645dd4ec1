using Grpc.Core;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Payments;

public sealed partial class PaymentService
{
    public override async Task<GetPaymentResponse> GetPayment(GetPaymentRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context);
        var payment = await flow.GetAsync(RequireKey(request.PaymentId, request.OrderId), context.CancellationToken);
        return new GetPaymentResponse { Payment = payment.ToProto() };
    }
}
