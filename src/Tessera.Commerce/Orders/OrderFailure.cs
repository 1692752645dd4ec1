using Grpc.Core;

namespace Tessera.Commerce.Orders;

/// <summary>
/// Why an order failed (or, while it is not yet final, the error that stopped it): the status CreateOrder answered,
/// the ErrorInfo reason (the called service's own, such as OUT_OF_STOCK, kept) and a sentence. A repeated CreateOrder
/// answers the same failure from it.
/// </summary>
public sealed record OrderFailure(StatusCode Code, string Reason, string Message);
