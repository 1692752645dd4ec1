namespace Tessera.Commerce.Orders;

/// <summary>
/// Where an order's saga is, stored with the order before each remote call so a crash at any point can be finished or
/// undone (see <see cref="Saga.OrderRecovery"/>). The numbers are stored: never renumber.
/// Forward: Created → Reserving → Reserved → (AwaitingPayment →) Paying → Paid → Committing → Confirmed.
/// Undo: Failing → Failed; Cancelling → Cancelled.
/// </summary>
public enum SagaStep
{
    /// <summary>Stored; the buyer is being checked and the lines priced. Nothing is held.</summary>
    Created = 0,

    /// <summary>ReserveItems is being (or may have been) called.</summary>
    Reserving = 1,

    /// <summary>The stock is held (reservation_id set).</summary>
    Reserved = 2,

    /// <summary>Stock held, no payment method given: waits for OrderService.ProcessPayment (public PENDING_PAYMENT).</summary>
    AwaitingPayment = 3,

    /// <summary>ProcessPayment is being (or may have been) called: whether it charged is known only from the payment service.</summary>
    Paying = 4,

    /// <summary>Captured (payment_id set).</summary>
    Paid = 5,

    /// <summary>CommitReservation is being (or may have been) called.</summary>
    Committing = 6,

    /// <summary>Paid and the stock sold. Final.</summary>
    Confirmed = 7,

    /// <summary>Failed; the compensation (release, return stock, refund) is being done.</summary>
    Failing = 8,

    /// <summary>Failed and nothing is held or charged. Final.</summary>
    Failed = 9,

    /// <summary>Cancelled; the refund and the return of the stock are being done.</summary>
    Cancelling = 10,

    /// <summary>Cancelled, refunded and the stock returned. Final.</summary>
    Cancelled = 11,
}
