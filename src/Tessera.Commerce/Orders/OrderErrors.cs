using Google.Protobuf.Reflection;
using Grpc.Core;
using Tessera.Contracts.Order.V1;

namespace Tessera.Commerce.Orders;

/// <summary>
/// The order service's refusals (ErrorInfo domain "order.v1.tessera") and the failures an order can end with. A failed
/// order's <see cref="OrderFailure"/> becomes the status CreateOrder (and a repeat of it) answers, with the order_id in
/// the ErrorInfo metadata.
/// </summary>
public static class OrderErrors
{
    public const string Domain = "order.v1.tessera";

    public static CommerceException Invalid(params (string Field, string Description)[] violations) =>
        CommerceException.Invalid(Domain, violations);

    public static CommerceException NotFound(string orderId) =>
        new CommerceException(CommerceFailure.NotFound, Domain, "ORDER_NOT_FOUND", $"there is no order {orderId}").With("order_id", orderId);

    public static CommerceException NotYours(string what) =>
        new(CommerceFailure.PermissionDenied, Domain, "PERMISSION_DENIED", $"{what}: you may act only on your own orders; other users' need the admin role");

    /// <summary>The order is not in a state that allows <paramref name="action"/> (FAILED_PRECONDITION).</summary>
    public static CommerceException WrongState(OrderRecord order, string reason, string action)
    {
        ArgumentNullException.ThrowIfNull(order);
        // The proto's own name of the state (STATE_PENDING_PAYMENT → PENDING_PAYMENT), as clients see it.
        var state = Order.Descriptor.FindDescriptor<EnumDescriptor>("State").FindValueByNumber((int)order.Step.ToState()).Name["STATE_".Length..];
        return new CommerceException(CommerceFailure.FailedPrecondition, Domain, reason, $"order {order.OrderId} is {state}: {action}")
            .With("order_id", order.OrderId).With("state", state);
    }

    /// <summary>Another runner (a recovery pass, a concurrent call) moved the order first (ABORTED): read it again.</summary>
    public static CommerceException Changed(string orderId) =>
        new CommerceException(CommerceFailure.Aborted, Domain, "ORDER_CHANGED", $"order {orderId} was changed by another call meanwhile; read it again with GetOrder")
            .With("order_id", orderId);

    /// <summary>The status a failed (or stopped) order answers: its failure's code and the reason kept from the step that failed.</summary>
    public static CommerceException Of(OrderRecord order, OrderFailure failure)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(failure);
        return new CommerceException(FailureOf(failure.Code), Domain, failure.Reason, $"order {order.OrderId}: {failure.Message}")
            .With("order_id", order.OrderId);
    }

    public static OrderFailure UserNotFound(long userId) =>
        new(StatusCode.NotFound, "USER_NOT_FOUND", $"there is no user {userId} to order for");

    public static OrderFailure UserInactive(long userId) =>
        new(StatusCode.FailedPrecondition, "USER_INACTIVE", $"user {userId} is deactivated and cannot order; an admin can reactivate them");

    public static OrderFailure UnknownSkus(IEnumerable<string> skus) =>
        new(StatusCode.NotFound, "UNKNOWN_SKU", $"no product has the SKU {string.Join(", ", skus)}; check the SKUs with ListProducts");

    public static OrderFailure InactiveProducts(IEnumerable<string> skus) =>
        new(StatusCode.FailedPrecondition, "PRODUCT_INACTIVE", $"the product {string.Join(", ", skus)} is not sold at the moment");

    public static OrderFailure MixedCurrencies(IEnumerable<string> currencies) =>
        new(StatusCode.FailedPrecondition, "MIXED_CURRENCIES", $"the lines are priced in {string.Join(" and ", currencies)}; one order takes one currency: place one order per currency");

    public static OrderFailure PaymentDeclined(string declineCode) =>
        new(StatusCode.FailedPrecondition, "PAYMENT_DECLINED", $"the payment was declined ({declineCode}); nothing was charged and the stock was released: try another payment method");

    public static OrderFailure ReservationExpired() =>
        new(StatusCode.FailedPrecondition, "RESERVATION_EXPIRED", "the stock was held for this order only until its reservation expired; nothing is charged: place the order again");

    /// <summary>A run stopped by a crash or by an error after which the outcome was unknown; recovery undid it.</summary>
    public static OrderFailure Interrupted() =>
        new(StatusCode.Unavailable, "ORDER_INTERRUPTED", "the order was interrupted before it completed and was undone; nothing is held or charged: place it again");

    private static CommerceFailure FailureOf(StatusCode code) => code switch
    {
        StatusCode.InvalidArgument or StatusCode.OutOfRange => CommerceFailure.InvalidArgument,
        StatusCode.NotFound => CommerceFailure.NotFound,
        StatusCode.AlreadyExists => CommerceFailure.AlreadyExists,
        StatusCode.FailedPrecondition => CommerceFailure.FailedPrecondition,
        StatusCode.Aborted => CommerceFailure.Aborted,
        StatusCode.PermissionDenied => CommerceFailure.PermissionDenied,
        StatusCode.DeadlineExceeded => CommerceFailure.DeadlineExceeded,
        // Unavailable, and what a peer should never answer (INTERNAL, UNAUTHENTICATED, ...): a dependency failed; retry later.
        _ => CommerceFailure.Unavailable,
    };
}
