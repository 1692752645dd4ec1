using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Payments;

/// <summary>
/// payment.v1.PaymentService: one file per RPC in this folder, named after it; this one holds what they share.
/// Admins and Tessera's own services only (the orders service pays for its orders).
/// </summary>
[Authorize]
public sealed partial class PaymentService(PaymentFlow flow) : Contracts.Payment.V1.PaymentService.PaymentServiceBase
{
    private const int MaxIdLength = 64;

    private static void RequireAdminOrService(ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (!caller.IsAdmin && !caller.IsService)
        {
            throw new CommerceException(
                CommerceFailure.PermissionDenied, PaymentErrors.Domain, "PERMISSION_DENIED", "payments are for admins and Tessera's own services only");
        }
    }

    /// <summary>A required id of 1-64 characters.</summary>
    private static string RequireId(string value, string field) =>
        value.Length is > 0 and <= MaxIdLength ? value : throw PaymentErrors.Invalid(field, $"is required, 1-{MaxIdLength} characters");

    /// <summary>Exactly one of payment_id and order_id, as a key.</summary>
    private static PaymentKey RequireKey(string paymentId, string orderId) => (paymentId.Length > 0, orderId.Length > 0) switch
    {
        (true, false) => PaymentKey.ById(RequireId(paymentId, "payment_id")),
        (false, true) => PaymentKey.ByOrder(RequireId(orderId, "order_id")),
        _ => throw PaymentErrors.Invalid("payment_id", "give exactly one of payment_id or order_id"),
    };
}
