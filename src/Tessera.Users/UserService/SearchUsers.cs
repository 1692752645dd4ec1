using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Storage;

namespace Tessera.Users;

public sealed partial class UserService
{
    public const int DefaultSearchPageSize = 50;
    public const int MaxSearchPageSize = 1000;

    public override async Task<SearchUsersResponse> SearchUsers(SearchUsersRequest request, ServerCallContext context)
    {
        if (request.PageSize < 0)
        {
            throw RpcErrors.InvalidArgument("page_size", "must not be negative (0 means the default of 50)");
        }

        var pageSize = request.PageSize == 0 ? DefaultSearchPageSize : Math.Min(request.PageSize, MaxSearchPageSize);
        var filter = ParseFilter(request.Filter);
        var order = ParseOrderBy(request.OrderBy);
        var after = PageTokens.Read(request.PageToken, QueryFingerprint(request.Filter, order));
        if (after is not null && order.Field is UserOrderField.Id or UserOrderField.CreatedAt && !long.TryParse(after.SortValue, CultureInfo.InvariantCulture, out _))
        {
            throw RpcErrors.InvalidArgument("page_token", "is not a token from a previous search with the same filter and order_by");
        }

        // Read before the page, so that watching from it misses nothing the page does not hold.
        var response = new SearchUsersResponse { Revision = await store.GetRevisionAsync(context.CancellationToken) };
        UserRecord? last = null;
        var more = false;
        await foreach (var user in store.ListAsync(filter, order, after, 0, pageSize + 1, context.CancellationToken))
        {
            if (response.Users.Count == pageSize)
            {
                more = true;
                break;
            }

            response.Users.Add(user.ToProto());
            last = user;
        }

        if (more && last is not null)
        {
            response.NextPageToken = PageTokens.Write(new UserPosition(SortValue(last, order.Field), last.Id), QueryFingerprint(request.Filter, order));
        }

        response.TotalSize = await store.CountAsync(filter, context.CancellationToken);
        return response;
    }

    private static UserOrder ParseOrderBy(string orderBy)
    {
        if (string.IsNullOrWhiteSpace(orderBy))
        {
            return UserOrder.ById;
        }

        var parts = orderBy.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        UserOrderField? field = parts[0] switch
        {
            "id" => UserOrderField.Id,
            "username" => UserOrderField.Username,
            "email" => UserOrderField.Email,
            "created_at" => UserOrderField.CreatedAt,
            _ => null,
        };
        if (field is null || parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("asc" or "desc")))
        {
            throw RpcErrors.InvalidArgument("order_by", "must be one of id, username, email, created_at, optionally followed by ' desc'");
        }

        return new UserOrder(field.Value, parts.Length == 2 && parts[1] == "desc");
    }

    private static string SortValue(UserRecord user, UserOrderField field) => field switch
    {
        UserOrderField.Username => Filtering.FilterEvaluator.Fold(user.Username),
        UserOrderField.Email => Filtering.FilterEvaluator.Fold(user.Email),
        UserOrderField.CreatedAt => StoreTime.ToMicros(user.CreatedAt).ToString(CultureInfo.InvariantCulture),
        _ => user.Id.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Ties a page token to the query it came from, so it cannot be replayed against another filter or order.</summary>
    private static string QueryFingerprint(string filter, UserOrder order) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes($"{filter}\n{order.Field}\n{order.Descending}")))[..16];
}
