namespace Tessera.Commerce.Orders.Storage;

/// <summary>What <see cref="IOrderStore.CreateAsync"/> did: stored the order given, or found the one its request_id already made.</summary>
public sealed record OrderCreation(OrderRecord Order, bool Created);
