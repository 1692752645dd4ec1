using Tessera.Commerce.Money;
using Tessera.Commerce.Orders.Calls;
using Tessera.Contracts.Payment.V1;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.Commerce.Tests.Orders.Fakes;

/// <summary>
/// A payment service with payment.v1's rules as the saga relies on them: the documented test tokens, idempotent on the
/// order id, refunds once per request_id and never beyond the capture.
/// </summary>
public sealed class FakePayments(Faults faults) : IPaymentGateway
{
    private const string Domain = "payment.v1.tessera";
    private readonly Lock gate = new();
    private readonly HashSet<string> refundRequests = new(StringComparer.Ordinal);

    public Dictionary<string, Payment> Payments { get; } = new(StringComparer.Ordinal);

    public Faults Faults { get; } = faults;

    public int Charges { get; private set; }

    /// <summary>What is charged and not refunded, over every order.</summary>
    public long Held()
    {
        lock (gate)
        {
            return Payments.Values.Where(p => p.Status != Payment.Types.Status.Declined).Sum(p => p.Amount.MinorUnits - p.RefundedAmount.MinorUnits);
        }
    }

    public Task<Payment> ChargeAsync(long buyerId, string orderId, Amount amount, string paymentMethodToken, CancellationToken cancellationToken)
    {
        Faults.Before("ProcessPayment");
        Payment payment;
        lock (gate)
        {
            if (!Payments.TryGetValue(orderId, out payment!))
            {
                var status = paymentMethodToken switch
                {
                    "tok_approve" => Payment.Types.Status.Captured,
                    "tok_decline" or "tok_insufficient_funds" => Payment.Types.Status.Declined,
                    "tok_processor_error" => throw PeerErrors.Of(CommerceFailure.Unavailable, Domain, "PROCESSOR_UNAVAILABLE", "the processor cannot be reached; nothing was charged"),
                    _ => throw PeerErrors.Of(CommerceFailure.InvalidArgument, Domain, "INVALID_ARGUMENT", "unknown token"),
                };
                payment = new Payment
                {
                    PaymentId = "pay-" + orderId,
                    OrderId = orderId,
                    Amount = amount.ToProto(),
                    Status = status,
                    DeclineCode = status == Payment.Types.Status.Declined ? "card_declined" : "",
                    RefundedAmount = new MoneyProto { CurrencyCode = amount.Currency },
                };
                Payments[orderId] = payment;
                Charges += status == Payment.Types.Status.Captured ? 1 : 0;
            }
        }

        Faults.After("ProcessPayment");
        return Task.FromResult(payment.Clone());
    }

    public Task<Payment?> FindPaymentAsync(long buyerId, string orderId, CancellationToken cancellationToken)
    {
        Faults.Before("GetPayment");
        lock (gate)
        {
            return Task.FromResult(Payments.GetValueOrDefault(orderId)?.Clone());
        }
    }

    public Task<Payment> RefundAsync(long buyerId, string orderId, string requestId, string reason, CancellationToken cancellationToken)
    {
        Faults.Before("RefundPayment");
        Payment payment;
        lock (gate)
        {
            payment = Payments[orderId];
            if (refundRequests.Add(requestId))
            {
                payment.RefundedAmount = payment.Amount.Clone();
                payment.Status = Payment.Types.Status.Refunded;
            }
        }

        Faults.After("RefundPayment");
        return Task.FromResult(payment.Clone());
    }
}
