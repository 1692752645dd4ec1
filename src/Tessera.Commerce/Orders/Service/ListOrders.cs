using System.Globalization;
using Grpc.Core;
using Tessera.Commerce.Orders.Storage;
using Tessera.Contracts.Order.V1;
using Tessera.Users.Auth;

namespace Tessera.Commerce.Orders.Service;

public sealed partial class OrderService
{
    private const int DefaultPageSize = 50;
    private const int MaxPageSize = 1000;

    public override async Task<ListOrdersResponse> ListOrders(ListOrdersRequest request, ServerCallContext context)
    {
        var caller = Caller.From(context);
        if (request.PageSize < 0)
        {
            throw OrderErrors.Invalid(("page_size", "must not be negative (0 means 50)"));
        }

        if (!Enum.IsDefined(request.State))
        {
            throw OrderErrors.Invalid(("state", $"{(int)request.State} is not an Order.State"));
        }

        var userId = WhoseOrders(request, caller);
        var fingerprint = string.Create(CultureInfo.InvariantCulture, $"{userId?.ToString(CultureInfo.InvariantCulture) ?? "all"}/{(int)request.State}");
        var after = OrderPageTokens.Read(request.PageToken, fingerprint);
        var size = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var steps = request.State == Order.Types.State.Unspecified ? null : SagaSteps.Of(request.State);
        var page = await store.ListAsync(new OrderQuery(userId, steps, size + 1, after), context.CancellationToken);

        var response = new ListOrdersResponse();
        response.Orders.AddRange(page.Take(size).Select(order => order.ToProto()));
        if (page.Count > size)
        {
            response.NextPageToken = OrderPageTokens.Write(page[size - 1], fingerprint);
        }

        return response;
    }

    /// <summary>Whose orders: the caller's own; an admin may name anyone or ask for all (null).</summary>
    private static long? WhoseOrders(ListOrdersRequest request, Caller caller)
    {
        if (request.UserId < 0)
        {
            throw OrderErrors.Invalid(("user_id", "must be 0 (yourself) or a user id"));
        }

        if (request.AllUsers)
        {
            return caller.IsAdmin ? null : throw OrderErrors.NotYours("listing every user's orders");
        }

        if (request.UserId == 0)
        {
            // Not signed in as a user (--auth none): everyone's, as for all_users.
            return caller.UserId ?? (caller.IsAdmin ? null : throw OrderErrors.NotYours("listing orders"));
        }

        return request.UserId == caller.UserId || caller.IsAdmin ? request.UserId : throw OrderErrors.NotYours($"listing the orders of user {request.UserId}");
    }
}
