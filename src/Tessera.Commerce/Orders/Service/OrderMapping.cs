using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.Order.V1;
using MoneyProto = Tessera.Contracts.Money.V1.Money;

namespace Tessera.Commerce.Orders.Service;

/// <summary>An <see cref="OrderRecord"/> as order.v1.Order: the public state from its step, prices once it is priced, the failure once FAILED.</summary>
internal static class OrderMapping
{
    public static Order ToProto(this OrderRecord order)
    {
        var proto = new Order
        {
            OrderId = order.OrderId,
            UserId = order.UserId,
            State = order.Step.ToState(),
            ReservationId = order.ReservationId,
            PaymentId = order.PaymentId,
            RequestId = order.RequestId,
            CreateTime = Timestamp.FromDateTimeOffset(order.CreatedAt),
            UpdateTime = Timestamp.FromDateTimeOffset(order.UpdatedAt),
        };
        var priced = order.Currency.Length > 0;
        foreach (var line in order.Lines)
        {
            proto.Lines.Add(new OrderLine
            {
                Sku = line.Sku,
                Quantity = line.Quantity,
                UnitPrice = priced ? Money(line.UnitPriceMinor, order.Currency) : null,
                LineTotal = priced ? Money(line.TotalMinor, order.Currency) : null,
            });
        }

        proto.Total = priced ? Money(order.TotalMinor, order.Currency) : null;
        if (order.Step == SagaStep.Failed && order.Failure is { } failure)
        {
            proto.FailureReason = failure.Reason;
            proto.FailureMessage = failure.Message;
        }

        return proto;
    }

    private static MoneyProto Money(long minorUnits, string currency) => new() { CurrencyCode = currency, MinorUnits = minorUnits };
}
