using Tessera.Commerce.Money;

namespace Tessera.Commerce.Inventory;

/// <summary>A product as stored. <see cref="Version"/> is the etag: it changes on every UpdateProduct and AdjustStock.</summary>
public sealed record ProductRecord(
    long Id,
    string Sku,
    string Name,
    Amount Price,
    long Available,
    long Reserved,
    bool Active,
    DateTimeOffset CreateTime,
    DateTimeOffset UpdateTime,
    long Version);
