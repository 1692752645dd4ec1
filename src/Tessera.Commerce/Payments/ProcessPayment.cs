using Grpc.Core;
using Tessera.Commerce.Money;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Payments;

public sealed partial class PaymentService
{
    public override async Task<ProcessPaymentResponse> ProcessPayment(ProcessPaymentRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context);
        var orderId = RequireId(request.OrderId, "order_id");
        if (MoneyRules.Problem(request.Amount) is { } problem)
        {
            throw PaymentErrors.Invalid("amount", problem);
        }

        if (request.PaymentMethodToken.Length == 0)
        {
            throw PaymentErrors.Invalid("payment_method_token", "is required (a payment method token such as tok_approve)");
        }

        var payment = await flow.ProcessAsync(orderId, Amount.FromProto(request.Amount), request.PaymentMethodToken, context.CancellationToken);
        return new ProcessPaymentResponse { Payment = payment.ToProto() };
    }
}
