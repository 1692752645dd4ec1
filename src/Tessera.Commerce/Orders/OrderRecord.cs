namespace Tessera.Commerce.Orders;

/// <summary>
/// An order as stored: its lines, its saga step, and what the saga learned on the way (reservation, payment, whether a
/// reserve or a charge was attempted, so compensation knows what to ask about). <see cref="Version"/> grows by one with
/// every write: a write names the version it read, so two runners never both move one order.
/// </summary>
public sealed record OrderRecord(
    string OrderId,
    long UserId,
    string RequestId,
    IReadOnlyList<OrderLineRecord> Lines,
    SagaStep Step,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    long Version)
{
    /// <summary>ISO 4217 code of every line's price; empty until priced.</summary>
    public string Currency { get; init; } = "";

    public long TotalMinor { get; init; }

    public string ReservationId { get; init; } = "";

    public DateTimeOffset? ReservationExpiresAt { get; init; }

    public string PaymentId { get; init; } = "";

    /// <summary>ReserveItems was (or may have been) called: compensation asks inventory what is held.</summary>
    public bool ReserveAttempted { get; init; }

    /// <summary>ProcessPayment was (or may have been) called: compensation asks payments what was charged.</summary>
    public bool PaymentAttempted { get; init; }

    /// <summary>The reservation was committed (the stock sold): undoing it means returning the stock.</summary>
    public bool StockCommitted { get; init; }

    public OrderFailure? Failure { get; init; }

    /// <summary>Why it was cancelled (CancelOrder's reason), for Cancelling and Cancelled orders.</summary>
    public string CancelReason { get; init; } = "";

    /// <summary>Until when a runner (the live saga or one recovery pass) owns the order; others leave it alone till then.</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}
