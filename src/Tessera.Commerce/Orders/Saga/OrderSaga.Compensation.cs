using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Orders.Saga;

public sealed partial class OrderSaga
{
    /// <summary>
    /// Fails the order with <paramref name="failure"/>: stores Failing, undoes what was done, stores Failed, and throws
    /// the failure (it never returns). When the undoing cannot be finished now, the order stays Failing and recovery
    /// finishes it.
    /// </summary>
    private async Task<OrderRecord> FailAsync(OrderRecord order, OrderFailure failure, CancellationToken cancellationToken)
    {
        var failing = await WriteAsync(order, order with { Step = SagaStep.Failing, Failure = failure });
        try
        {
            await CompensateAsync(failing, cancellationToken);
        }
        catch (RpcException e)
        {
            logger.LogWarning("Order {OrderId} failed ({Reason}); undoing it ended with {Code}: recovery will finish it", order.OrderId, failure.Reason, e.StatusCode);
            await WriteAsync(failing, failing, leaseFor: options.SettleTime);
        }

        throw OrderErrors.Of(failing, failure);
    }

    /// <summary>
    /// Undoes a Failing or Cancelling order and stores it Failed or Cancelled: refunds what the payment service says was
    /// captured and not yet refunded, and gives back the stock the inventory says is held (release) or sold (AdjustStock,
    /// once per line thanks to a request_id derived from the order id). Each call is idempotent, so running it again
    /// after a crash is safe.
    /// </summary>
    private async Task<OrderRecord> CompensateAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        using var span = OrdersTelemetry.Step("compensate", order.OrderId);
        var why = order.Step == SagaStep.Cancelling
            ? $"order {order.OrderId} cancelled{(order.CancelReason.Length > 0 ? ": " + order.CancelReason : "")}"
            : $"order {order.OrderId} failed: {order.Failure?.Reason}";
        if (order.PaymentAttempted)
        {
            var payment = await payments.FindPaymentAsync(order.UserId, order.OrderId, cancellationToken);
            if (payment is { Status: Payment.Types.Status.Captured } && (payment.RefundedAmount?.MinorUnits ?? 0) < payment.Amount.MinorUnits)
            {
                await payments.RefundAsync(order.UserId, order.OrderId, $"{order.OrderId}-refund", why, cancellationToken);
            }
        }

        if (order.ReserveAttempted)
        {
            await GiveBackStockAsync(order, why, cancellationToken);
        }

        var final = order.Step == SagaStep.Cancelling ? SagaStep.Cancelled : SagaStep.Failed;
        return await WriteAsync(order, order with { Step = final, StockCommitted = false });
    }

    private async Task GiveBackStockAsync(OrderRecord order, string why, CancellationToken cancellationToken)
    {
        var reservation = await inventory.FindReservationAsync(order.UserId, order.OrderId, cancellationToken);
        if (reservation?.State == Reservation.Types.State.Active)
        {
            try
            {
                await inventory.ReleaseAsync(order.UserId, reservation.ReservationId, cancellationToken);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.FailedPrecondition)
            {
                // It expired or was committed in the meantime: see which.
                reservation = await inventory.FindReservationAsync(order.UserId, order.OrderId, cancellationToken);
            }
        }

        if (reservation?.State == Reservation.Types.State.Committed)
        {
            for (var i = 0; i < reservation.Lines.Count; i++)
            {
                var line = reservation.Lines[i];
                await inventory.ReturnStockAsync(order.UserId, line.Sku, line.Quantity, $"{order.OrderId}-return-{i}", why, cancellationToken);
            }
        }
    }

    /// <summary>
    /// Finishes or undoes an order a recovery pass claimed (it holds the lease): before the payment, undo (release what is
    /// held, Failed); Paying, ask payments: captured → commit and confirm, otherwise undo; Paid → commit (idempotent);
    /// Failing or Cancelling → finish the undoing; awaiting a payment whose reservation expired → Failed
    /// (RESERVATION_EXPIRED). An unknown outcome again leaves it for the next pass.
    /// </summary>
    public async Task<OrderRecord> RecoverAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        using var span = OrdersTelemetry.Step("recover", order.OrderId);
        span?.SetTag("order.step", order.Step.ToString());
        logger.LogInformation("Recovering order {OrderId} at step {Step}", order.OrderId, order.Step);
        try
        {
            switch (order.Step)
            {
                case SagaStep.Created or SagaStep.Reserving:
                    return await FailAsync(order, order.Failure ?? OrderErrors.Interrupted(), cancellationToken);
                case SagaStep.AwaitingPayment:
                    return await FailAsync(order, OrderErrors.ReservationExpired(), cancellationToken);
                case SagaStep.Paying:
                    var payment = await payments.FindPaymentAsync(order.UserId, order.OrderId, cancellationToken);
                    if (payment?.Status != Payment.Types.Status.Captured)
                    {
                        var failure = payment?.Status == Payment.Types.Status.Declined ? OrderErrors.PaymentDeclined(payment.DeclineCode) : order.Failure ?? OrderErrors.Interrupted();
                        return await FailAsync(order, failure, cancellationToken);
                    }

                    order = await WriteAsync(order, order with { Step = SagaStep.Paid, PaymentId = payment.PaymentId });
                    return await CommitAsync(order, cancellationToken);
                case SagaStep.Paid:
                    return await CommitAsync(order, cancellationToken);
                case SagaStep.Failing or SagaStep.Cancelling:
                    return await CompensateAsync(order, cancellationToken);
                default:
                    return order;
            }
        }
        catch (CommerceException e) when (e.Domain == OrderErrors.Domain && e.Failure != CommerceFailure.Aborted)
        {
            // The order failed (and is undone, or Failing for the next pass): that is recovery's outcome, not an error.
            return await store.GetAsync(order.OrderId, cancellationToken) ?? order;
        }
    }
}
