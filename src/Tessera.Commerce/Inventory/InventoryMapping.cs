using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.Inventory.V1;

namespace Tessera.Commerce.Inventory;

/// <summary>Store records to their proto messages.</summary>
public static class InventoryMapping
{
    /// <summary>The etag of a product version: opaque to clients, the version number inside.</summary>
    public static string Etag(long version) => $"\"v{version.ToString(CultureInfo.InvariantCulture)}\"";

    /// <summary>
    /// The version an etag names, or null when it is not one of ours (it then matches no version). The etag may come
    /// without its quotes: an HTTP <c>If-Match: "v3"</c> header reaches the service as <c>v3</c>.
    /// </summary>
    public static long? VersionOf(string etag)
    {
        var tag = etag.Length >= 2 && etag[0] == '"' && etag[^1] == '"' ? etag.AsSpan(1, etag.Length - 2) : etag.AsSpan();
        return tag.Length > 1 && tag[0] == 'v' && long.TryParse(tag[1..], NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }

    public static Product ToProto(this ProductRecord product)
    {
        ArgumentNullException.ThrowIfNull(product);
        return new Product
        {
            Sku = product.Sku,
            Name = product.Name,
            Price = product.Price.ToProto(),
            Available = product.Available,
            Reserved = product.Reserved,
            Active = product.Active,
            CreateTime = Timestamp.FromDateTimeOffset(product.CreateTime),
            UpdateTime = Timestamp.FromDateTimeOffset(product.UpdateTime),
            Etag = Etag(product.Version),
        };
    }

    public static Reservation ToProto(this ReservationRecord reservation)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        var proto = new Reservation
        {
            ReservationId = reservation.ReservationId,
            OrderId = reservation.OrderId,
            State = (Reservation.Types.State)(int)reservation.State,
            CreateTime = Timestamp.FromDateTimeOffset(reservation.CreateTime),
            ExpireTime = Timestamp.FromDateTimeOffset(reservation.ExpireTime),
            Total = reservation.Total.ToProto(),
        };
        proto.Lines.AddRange(reservation.Lines.Select(l => new ReservationLine { Sku = l.Sku, Quantity = l.Quantity }));
        return proto;
    }
}
