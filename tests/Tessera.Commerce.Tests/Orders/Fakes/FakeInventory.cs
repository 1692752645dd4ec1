using Google.Protobuf.WellKnownTypes;
using Tessera.Commerce.Orders;
using Tessera.Commerce.Orders.Calls;
using Tessera.Contracts.Inventory.V1;
using Tessera.Users.Tests;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.Commerce.Tests.Orders.Fakes;

/// <summary>
/// An inventory with inventory.v1's rules as the saga relies on them: all-or-none reservations, idempotent on the order
/// id, expiring at their expiry (checked against the test's clock), commit/release idempotent and refused once the
/// other happened, AdjustStock once per request_id.
/// </summary>
public sealed class FakeInventory(ManualClock clock, Faults faults) : IInventoryGateway
{
    private const string Domain = "inventory.v1.tessera";
    private readonly Lock gate = new();
    private readonly HashSet<string> adjustments = new(StringComparer.Ordinal);

    public Dictionary<string, (long Price, string Currency, long Available, bool Active)> Products { get; } = new(StringComparer.OrdinalIgnoreCase);

    public Dictionary<string, Reservation> Reservations { get; } = new(StringComparer.Ordinal);

    public TimeSpan Ttl { get; set; } = TimeSpan.FromMinutes(15);

    public Faults Faults { get; } = faults;

    public int Adjustments { get; private set; }

    public void Add(string sku, long price, long available, string currency = "USD", bool active = true) => Products[sku] = (price, currency, available, active);

    public long Available(string sku)
    {
        lock (gate)
        {
            ExpireAll();
            return Products[sku].Available;
        }
    }

    /// <summary>Stock held by reservations still active.</summary>
    public long Held()
    {
        lock (gate)
        {
            ExpireAll();
            return Reservations.Values.Where(r => r.State == Reservation.Types.State.Active).Sum(r => r.Lines.Sum(l => (long)l.Quantity));
        }
    }

    public Task<IReadOnlyList<StockLevel>> CheckStockAsync(long buyerId, IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {
        Faults.Before("CheckStock");
        lock (gate)
        {
            IReadOnlyList<StockLevel> levels = skus.Select(sku => Products.TryGetValue(sku, out var p)
                ? new StockLevel { Sku = sku, Found = true, Name = sku, Price = new MoneyProto { CurrencyCode = p.Currency, MinorUnits = p.Price }, Available = p.Available, Active = p.Active }
                : new StockLevel { Sku = sku }).ToList();
            return Task.FromResult(levels);
        }
    }

    public Task<Reservation> ReserveAsync(long buyerId, string orderId, IReadOnlyList<OrderLineRecord> lines, CancellationToken cancellationToken)
    {
        Faults.Before("ReserveItems");
        Reservation reservation;
        lock (gate)
        {
            ExpireAll();
            if (!Reservations.TryGetValue(orderId, out reservation!))
            {
                var shortSkus = lines.Where(line => Products[line.Sku].Available < line.Quantity).Select(line => line.Sku).ToList();
                if (shortSkus.Count > 0)
                {
                    throw PeerErrors.Of(CommerceFailure.FailedPrecondition, Domain, "OUT_OF_STOCK", $"not enough of {string.Join(", ", shortSkus)}");
                }

                foreach (var line in lines)
                {
                    var p = Products[line.Sku];
                    Products[line.Sku] = p with { Available = p.Available - line.Quantity };
                }

                reservation = new Reservation
                {
                    ReservationId = "res-" + orderId,
                    OrderId = orderId,
                    State = Reservation.Types.State.Active,
                    CreateTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
                    ExpireTime = Timestamp.FromDateTimeOffset(clock.GetUtcNow() + Ttl),
                };
                reservation.Lines.AddRange(lines.Select(line => new ReservationLine { Sku = line.Sku, Quantity = line.Quantity }));
                Reservations[orderId] = reservation;
            }
        }

        Faults.After("ReserveItems");
        return Task.FromResult(reservation.Clone());
    }

    public Task<Reservation?> FindReservationAsync(long buyerId, string orderId, CancellationToken cancellationToken)
    {
        Faults.Before("GetReservation");
        lock (gate)
        {
            ExpireAll();
            return Task.FromResult(Reservations.GetValueOrDefault(orderId)?.Clone());
        }
    }

    public Task<Reservation> CommitAsync(long buyerId, string reservationId, CancellationToken cancellationToken)
    {
        Faults.Before("CommitReservation");
        Reservation reservation;
        lock (gate)
        {
            ExpireAll();
            reservation = Reservations.Values.Single(r => r.ReservationId == reservationId);
            switch (reservation.State)
            {
                case Reservation.Types.State.Active:
                    reservation.State = Reservation.Types.State.Committed;
                    break;
                case Reservation.Types.State.Expired:
                    throw PeerErrors.Of(CommerceFailure.FailedPrecondition, Domain, "RESERVATION_EXPIRED", "the reservation expired");
                case Reservation.Types.State.Released:
                    throw PeerErrors.Of(CommerceFailure.FailedPrecondition, Domain, "RESERVATION_RELEASED", "the reservation was released");
            }
        }

        Faults.After("CommitReservation");
        return Task.FromResult(reservation.Clone());
    }

    public Task<Reservation> ReleaseAsync(long buyerId, string reservationId, CancellationToken cancellationToken)
    {
        Faults.Before("ReleaseReservation");
        Reservation reservation;
        lock (gate)
        {
            ExpireAll();
            reservation = Reservations.Values.Single(r => r.ReservationId == reservationId);
            if (reservation.State == Reservation.Types.State.Committed)
            {
                throw PeerErrors.Of(CommerceFailure.FailedPrecondition, Domain, "RESERVATION_COMMITTED", "the reservation is committed");
            }

            if (reservation.State == Reservation.Types.State.Active)
            {
                GiveBack(reservation);
                reservation.State = Reservation.Types.State.Released;
            }
        }

        Faults.After("ReleaseReservation");
        return Task.FromResult(reservation.Clone());
    }

    public Task ReturnStockAsync(long buyerId, string sku, int quantity, string requestId, string reason, CancellationToken cancellationToken)
    {
        Faults.Before("AdjustStock");
        lock (gate)
        {
            if (adjustments.Add(requestId))
            {
                var p = Products[sku];
                Products[sku] = p with { Available = p.Available + quantity };
                Adjustments++;
            }
        }

        Faults.After("AdjustStock");
        return Task.CompletedTask;
    }

    private void ExpireAll()
    {
        foreach (var reservation in Reservations.Values.Where(r => r.State == Reservation.Types.State.Active && r.ExpireTime.ToDateTimeOffset() <= clock.GetUtcNow()))
        {
            GiveBack(reservation);
            reservation.State = Reservation.Types.State.Expired;
        }
    }

    private void GiveBack(Reservation reservation)
    {
        foreach (var line in reservation.Lines)
        {
            var p = Products[line.Sku];
            Products[line.Sku] = p with { Available = p.Available + line.Quantity };
        }
    }
}
