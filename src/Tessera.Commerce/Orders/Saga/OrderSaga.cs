using Grpc.Core;
using Microsoft.Extensions.Logging;
using Tessera.Commerce.Money;
using Tessera.Commerce.Orders.Calls;
using Tessera.Commerce.Orders.Storage;
using Tessera.Contracts.Inventory.V1;
using Tessera.Contracts.Payment.V1;

namespace Tessera.Commerce.Orders.Saga;

/// <summary>
/// Runs an order: check the buyer, price the lines, reserve the stock, take the payment, commit the reservation. The
/// order and its next step are stored before each remote call (<see cref="SagaStep"/>), so a crash anywhere leaves a
/// step recovery can finish or undo (<see cref="RecoverAsync"/>). A refusal fails the order and undoes what was done
/// (<see cref="CompensateAsync"/>); an error whose outcome is unknown leaves the order at its step for recovery, which
/// asks the called service what happened. Every write names the version it read: when another runner moved the order
/// first, this one stops (ABORTED).
/// <para>
/// Remote calls use the caller's token, and end by the incoming call's deadline (<see cref="Calls.IncomingDeadline"/>).
/// The saga's own writes do not: a step is recorded even when the caller has given up.
/// </para>
/// </summary>
public sealed partial class OrderSaga(
    IOrderStore store,
    IUserDirectory users,
    IInventoryGateway inventory,
    IPaymentGateway payments,
    OrderSagaOptions options,
    TimeProvider clock,
    ILogger<OrderSaga> logger)
{
    /// <summary>
    /// Runs a just-created order to Confirmed, or to AwaitingPayment without a payment method. A failed order throws its
    /// failure (<see cref="OrderErrors.Of"/>); so does one left for recovery after an unknown outcome.
    /// </summary>
    public async Task<OrderRecord> PlaceAsync(OrderRecord order, string paymentMethodToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        order = await ReadStepAsync(order, "check_buyer", PeerFailures.Users, () => CheckBuyerAsync(order, cancellationToken), cancellationToken);
        order = await ReadStepAsync(order, "price", PeerFailures.Inventory, () => PriceAsync(order, cancellationToken), cancellationToken);
        order = await RunStepAsync(order, "reserve", PeerFailures.Inventory, () => ReserveAsync(order, paymentMethodToken.Length > 0, cancellationToken));
        return order.Step == SagaStep.AwaitingPayment ? order : await PayAndCommitAsync(order, paymentMethodToken, cancellationToken);
    }

    /// <summary>Pays for an order awaiting payment and confirms it (OrderService.ProcessPayment).</summary>
    public async Task<OrderRecord> PayAsync(OrderRecord order, string paymentMethodToken, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        if (order.ReservationExpiresAt <= clock.GetUtcNow())
        {
            await FailAsync(order, OrderErrors.ReservationExpired(), cancellationToken);
        }

        order = await WriteAsync(order, order with { Step = SagaStep.Paying, PaymentAttempted = true });
        return await PayAndCommitAsync(order, paymentMethodToken, cancellationToken);
    }

    /// <summary>Cancels an order awaiting payment or confirmed: refund, give back the stock (CancelOrder).</summary>
    public async Task<OrderRecord> CancelAsync(OrderRecord order, string reason, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        order = await WriteAsync(order, order with { Step = SagaStep.Cancelling, CancelReason = reason });
        return await RunStepAsync(order, "cancel", PeerFailures.Compensation, () => CompensateAsync(order, cancellationToken));
    }

    private async Task<OrderRecord> PayAndCommitAsync(OrderRecord order, string paymentMethodToken, CancellationToken cancellationToken)
    {
        order = await RunStepAsync(order, "pay", PeerFailures.Payments, () => ChargeAsync(order, paymentMethodToken, cancellationToken));
        return await RunStepAsync(order, "commit", PeerFailures.Inventory, () => CommitAsync(order, cancellationToken));
    }

    private async Task<OrderRecord> CheckBuyerAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        var user = await users.FindUserAsync(order.UserId, cancellationToken);
        var failure = user is null ? OrderErrors.UserNotFound(order.UserId) : !user.IsActive ? OrderErrors.UserInactive(order.UserId) : null;
        return failure is null ? order : await FailAsync(order, failure, cancellationToken);
    }

    /// <summary>Prices every line from CheckStock (one currency for all) and stores them with the step Reserving.</summary>
    private async Task<OrderRecord> PriceAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        var levels = await inventory.CheckStockAsync(order.UserId, order.Lines.Select(line => line.Sku).ToList(), cancellationToken);
        var bySku = levels.GroupBy(level => level.Sku, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First(), StringComparer.OrdinalIgnoreCase);
        var unknown = order.Lines.Where(line => !bySku.TryGetValue(line.Sku, out var level) || !level.Found).Select(line => line.Sku).ToList();
        if (unknown.Count > 0)
        {
            return await FailAsync(order, OrderErrors.UnknownSkus(unknown), cancellationToken);
        }

        var inactive = order.Lines.Where(line => !bySku[line.Sku].Active).Select(line => line.Sku).ToList();
        if (inactive.Count > 0)
        {
            return await FailAsync(order, OrderErrors.InactiveProducts(inactive), cancellationToken);
        }

        var currencies = order.Lines.Select(line => bySku[line.Sku].Price.CurrencyCode).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count > 1)
        {
            return await FailAsync(order, OrderErrors.MixedCurrencies(currencies), cancellationToken);
        }

        var lines = order.Lines.Select(line => line with { UnitPriceMinor = bySku[line.Sku].Price.MinorUnits }).ToList();
        var total = lines.Aggregate(Amount.Zero(currencies[0]), (sum, line) => sum + (new Amount(line.UnitPriceMinor, currencies[0]) * line.Quantity));
        var priced = order with { Lines = lines, Currency = total.Currency, TotalMinor = total.MinorUnits, Step = SagaStep.Reserving, ReserveAttempted = true };
        return await WriteAsync(order, priced, withLines: true);
    }

    private async Task<OrderRecord> ReserveAsync(OrderRecord order, bool paymentGiven, CancellationToken cancellationToken)
    {
        Reservation reservation;
        try
        {
            reservation = await inventory.ReserveAsync(order.UserId, order.OrderId, order.Lines, cancellationToken);
        }
        catch (RpcException e) when (PeerFailures.IsDefinite(e))
        {
            // Refused (OUT_OF_STOCK, ...): nothing is held.
            return await FailAsync(order with { ReserveAttempted = false }, PeerFailures.Of(e, PeerFailures.Inventory), cancellationToken);
        }

        var reserved = order with
        {
            ReservationId = reservation.ReservationId,
            ReservationExpiresAt = reservation.ExpireTime?.ToDateTimeOffset(),
        };
        return await WriteAsync(order, paymentGiven
            ? reserved with { Step = SagaStep.Paying, PaymentAttempted = true }
            : reserved with { Step = SagaStep.AwaitingPayment });
    }

    private async Task<OrderRecord> ChargeAsync(OrderRecord order, string paymentMethodToken, CancellationToken cancellationToken)
    {
        Payment payment;
        try
        {
            payment = await payments.ChargeAsync(order.UserId, order.OrderId, new Amount(order.TotalMinor, order.Currency), paymentMethodToken, cancellationToken);
        }
        catch (RpcException e) when (PeerFailures.IsDefinite(e))
        {
            // Refused before charging (a bad token, a processor that could not be reached, PAYMENT_MISMATCH).
            return await FailAsync(order with { PaymentAttempted = false }, PeerFailures.Of(e, PeerFailures.Payments), cancellationToken);
        }

        if (payment.Status != Payment.Types.Status.Captured)
        {
            return await FailAsync(order with { PaymentAttempted = false }, OrderErrors.PaymentDeclined(payment.DeclineCode), cancellationToken);
        }

        return await WriteAsync(order, order with { Step = SagaStep.Paid, PaymentId = payment.PaymentId });
    }

    private async Task<OrderRecord> CommitAsync(OrderRecord order, CancellationToken cancellationToken)
    {
        try
        {
            await inventory.CommitAsync(order.UserId, order.ReservationId, cancellationToken);
        }
        catch (RpcException e) when (PeerFailures.IsDefinite(e))
        {
            // The reservation expired or was released before the payment came: refund (compensation does).
            return await FailAsync(order, PeerFailures.Of(e, PeerFailures.Inventory), cancellationToken);
        }

        return await WriteAsync(order, order with { Step = SagaStep.Confirmed, StockCommitted = true, Failure = null });
    }

    /// <summary>
    /// Runs a step whose calls only read (GetUser, CheckStock): whatever error they end with, nothing is held yet, so the
    /// order fails at once with the called service's status and reason.
    /// </summary>
    private async Task<OrderRecord> ReadStepAsync(OrderRecord order, string name, string service, Func<Task<OrderRecord>> step, CancellationToken cancellationToken)
    {
        using var span = OrdersTelemetry.Step(name, order.OrderId);
        try
        {
            return await step();
        }
        catch (RpcException e)
        {
            logger.LogWarning("Order {OrderId}: {Step} ended with {Code}: {Detail}; the order fails", order.OrderId, name, e.StatusCode, e.Status.Detail);
            return await FailAsync(order, PeerFailures.Of(e, service), cancellationToken);
        }
    }

    /// <summary>
    /// Runs one step in its span. A refusal was already turned into a failed order by the step; an error with an unknown
    /// outcome is recorded on the order, which stays at its step for recovery (after <see cref="OrderSagaOptions.SettleTime"/>),
    /// and answered with the order's id.
    /// </summary>
    private async Task<OrderRecord> RunStepAsync(OrderRecord order, string name, string service, Func<Task<OrderRecord>> step)
    {
        using var span = OrdersTelemetry.Step(name, order.OrderId);
        try
        {
            return await step();
        }
        catch (RpcException e)
        {
            var failure = PeerFailures.Of(e, service);
            logger.LogWarning("Order {OrderId}: {Step} ended with {Code}: {Detail}; recovery will finish or undo it", order.OrderId, name, e.StatusCode, e.Status.Detail);
            var stopped = await WriteAsync(order, order with { Failure = failure }, leaseFor: options.SettleTime);
            throw OrderErrors.Of(stopped, failure);
        }
    }

    /// <summary>
    /// Stores <paramref name="next"/> over <paramref name="current"/> (version checked), with a fresh lease for this runner
    /// (none once final or awaiting payment). Throws ABORTED when another runner wrote the order first.
    /// </summary>
    private async Task<OrderRecord> WriteAsync(OrderRecord current, OrderRecord next, bool withLines = false, TimeSpan? leaseFor = null)
    {
        var now = clock.GetUtcNow();
        var held = !next.Step.IsFinal() && next.Step != SagaStep.AwaitingPayment;
        next = next with
        {
            Version = current.Version + 1,
            UpdatedAt = now,
            LeaseUntil = held ? now + (leaseFor ?? options.Lease) : null,
        };

        // Not the caller's token: a step must be recorded even when the caller has gone (the store's own timeouts bound it).
        if (!await store.UpdateAsync(next, withLines, CancellationToken.None))
        {
            throw OrderErrors.Changed(current.OrderId);
        }

        return next;
    }
}
