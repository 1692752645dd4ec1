using Grpc.Core;
using Tessera.Commerce.Money;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Payments;

public sealed partial class PaymentService
{
    private const int MaxReasonLength = 200;

    public override async Task<RefundPaymentResponse> RefundPayment(RefundPaymentRequest request, ServerCallContext context)
    {
        RequireAdminOrService(context);
        var key = RequireKey(request.PaymentId, request.OrderId);
        if (request.Amount is not null && MoneyRules.Problem(request.Amount) is { } problem)
        {
            throw PaymentErrors.Invalid("amount", problem);
        }

        if (request.Reason.Length > MaxReasonLength)
        {
            throw PaymentErrors.Invalid("reason", $"must be at most {MaxReasonLength} characters, not {request.Reason.Length}");
        }

        var requestId = request.RequestId.Length == 0 ? null : RequireId(request.RequestId, "request_id");
        var amount = request.Amount is null ? (Amount?)null : Amount.FromProto(request.Amount);
        var outcome = await flow.RefundAsync(new RefundRequest(key, amount, request.Reason, requestId), context.CancellationToken);
        return new RefundPaymentResponse { Refund = outcome.Refund.ToProto(), Payment = outcome.Payment.ToProto() };
    }
}
