namespace Tessera.Commerce.Orders;

/// <summary>
/// Where an order's saga is, stored with the order before each remote call so a crash at any point can be finished or
/// undone (see <see cref="Saga.OrderRecovery"/>). The numbers are stored: never renumber.
/// Forward: Created → Reserving → (AwaitingPayment →) Paying → Paid → Confirmed. Undo: Failing → Failed;
/// Cancelling → Cancelled.
/// </summary>
public enum SagaStep
{
    /// <summary>Stored; the buyer is being checked and the lines priced. Nothing is held.</summary>
    Created = 0,

    /// <summary>Priced; ReserveItems is being (or may have been) called.</summary>
    Reserving = 1,

    /// <summary>Stock held, no payment method given: waits for OrderService.ProcessPayment (public PENDING_PAYMENT).</summary>
    AwaitingPayment = 2,

    /// <summary>Stock held (reservation_id set); ProcessPayment is being (or may have been) called: whether it charged is known only from the payment service.</summary>
    Paying = 3,

    /// <summary>Captured (payment_id set); CommitReservation is being (or may have been) called.</summary>
    Paid = 4,

    /// <summary>Paid and the stock sold. Final (CancelOrder moves it on to Cancelling).</summary>
    Confirmed = 5,

    /// <summary>Failed; the compensation (refund, release or return the stock) is being done.</summary>
    Failing = 6,

    /// <summary>Failed and nothing is held or charged. Final.</summary>
    Failed = 7,

    /// <summary>Cancelled; the refund and the return of the stock are being done.</summary>
    Cancelling = 8,

    /// <summary>Cancelled, refunded and the stock returned. Final.</summary>
    Cancelled = 9,
}
