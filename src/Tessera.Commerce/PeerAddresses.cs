namespace Tessera.Commerce;

/// <summary>
/// Where the services an order calls are served (--users-address, --inventory-address, --payments-address). Null means
/// this process itself: the call still goes over gRPC, to this process's own first listening address.
/// </summary>
public sealed record PeerAddresses(Uri? Users = null, Uri? Inventory = null, Uri? Payments = null);
