using Grpc.Core;
using Tessera.Commerce.Orders.Calls;
using Tessera.Contracts.Order.V1;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Service;

public sealed partial class OrderService
{
    private const int MaxLines = 100;
    private const int MaxQuantity = 1000;
    private const int MaxRequestId = 64;
    private const int MaxSku = 64;
    private const int MaxToken = 200;

    public override async Task<CreateOrderResponse> CreateOrder(CreateOrderRequest request, ServerCallContext context)
    {
        IncomingDeadline.Set(context.Deadline);
        var caller = Caller.From(context);
        var buyer = BuyerOf(request.UserId, caller);
        Validate(request);
        var now = clock.GetUtcNow();
        var lines = request.Lines.Select(line => new OrderLineRecord(line.Sku, line.Quantity)).ToList();
        var order = new OrderRecord(Guid.NewGuid().ToString("N"), buyer, request.RequestId, lines, SagaStep.Created, now, now, 1)
        {
            LeaseUntil = now + options.Lease,
        };

        var creation = await store.CreateAsync(order, context.CancellationToken);
        if (!creation.Created)
        {
            // The same request again: its order as it is now, or its failure.
            var first = creation.Order;
            return first.Step == SagaStep.Failed && first.Failure is { } failure
                ? throw OrderErrors.Of(first, failure)
                : new CreateOrderResponse { Order = first.ToProto() };
        }

        var placed = await saga.PlaceAsync(order, request.PaymentMethodToken, context.CancellationToken);
        return new CreateOrderResponse { Order = placed.ToProto() };
    }

    /// <summary>The buyer: the caller for 0, another user only for an admin.</summary>
    private static long BuyerOf(long requested, Caller caller)
    {
        if (requested < 0)
        {
            throw OrderErrors.Invalid(("user_id", "must be 0 (yourself) or a user id"));
        }

        if (requested == 0)
        {
            return caller.UserId ?? throw OrderErrors.Invalid(("user_id", "is required: this call is not signed in as a user"));
        }

        return requested == caller.UserId || caller.IsAdmin ? requested : throw OrderErrors.NotYours($"ordering for user {requested}");
    }

    private static void Validate(CreateOrderRequest request)
    {
        var violations = new List<(string, string)>();
        if (request.RequestId.Length is 0 or > MaxRequestId)
        {
            violations.Add(("request_id", $"is required, 1-{MaxRequestId} characters, so that a retried CreateOrder places one order"));
        }

        if (request.Lines.Count is 0 or > MaxLines)
        {
            violations.Add(("lines", $"must hold 1-{MaxLines} lines"));
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < request.Lines.Count && i < MaxLines; i++)
        {
            var line = request.Lines[i];
            if (line.Sku.Length is 0 or > MaxSku)
            {
                violations.Add(($"lines[{i}].sku", $"is required, 1-{MaxSku} characters"));
            }
            else if (!seen.Add(line.Sku))
            {
                violations.Add(($"lines[{i}].sku", $"'{line.Sku}' is on an earlier line: give each SKU once, with its whole quantity"));
            }

            if (line.Quantity is < 1 or > MaxQuantity)
            {
                violations.Add(($"lines[{i}].quantity", $"must be 1-{MaxQuantity}, not {line.Quantity}"));
            }
        }

        if (request.PaymentMethodToken.Length > MaxToken)
        {
            violations.Add(("payment_method_token", $"must be at most {MaxToken} characters"));
        }

        if (violations.Count > 0)
        {
            throw OrderErrors.Invalid([.. violations]);
        }
    }
}
