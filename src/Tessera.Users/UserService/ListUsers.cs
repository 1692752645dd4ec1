using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Filtering;
using Tessera.Users.Storage;

namespace Tessera.Users;

public sealed partial class UserService
{
    /// <summary>The largest page ListUsers streams; larger page sizes are coerced down (AIP-158).</summary>
    public const int MaxListPageSize = 1000;

    private const int ListFlushEvery = 256;

    /// <summary>A stream write that may wait in the transport's buffer for the next flush (ListUsers, WatchUserChanges).</summary>
    private static readonly WriteOptions BufferedWrite = new(WriteFlags.BufferHint);

    public override async Task ListUsers(ListUsersRequest request, IServerStreamWriter<User> responseStream, ServerCallContext context)
    {
        if (request.Page < 0)
        {
            throw RpcErrors.InvalidArgument("page", "must not be negative (pages start at 1; 0 means the first)");
        }

        if (request.PageSize < 0)
        {
            throw RpcErrors.InvalidArgument("page_size", "must not be negative (0 streams every matching user)");
        }

        var filter = ParseFilter(request.Filter);
        var pageSize = Math.Min(request.PageSize, MaxListPageSize);
        var page = Math.Max(request.Page, 1);
        var offset = pageSize == 0 ? 0 : (int)Math.Min((long)(page - 1) * pageSize, int.MaxValue);
        if (pageSize == 0 && page > 1)
        {
            return;
        }

        using var cancellation = LinkToShutdown(context);
        try
        {
            // Let the transport batch messages into large writes; flush every FlushEvery messages (and at the end).
            var sent = 0;
            await foreach (var user in store.ListAsync(filter, UserOrder.ById, null, offset, pageSize, cancellation.Token))
            {
                responseStream.WriteOptions = ++sent % ListFlushEvery == 0 ? null : BufferedWrite;
                await responseStream.WriteAsync(user.ToProto(), context.CancellationToken);
            }
        }
        catch (OperationCanceledException) when (ShuttingDown)
        {
            throw RpcErrors.ShuttingDown();
        }
    }

    internal static FilterExpression? ParseFilter(string filter, string field = "filter")
    {
        try
        {
            return FilterParser.Parse(filter);
        }
        catch (FilterSyntaxException e)
        {
            throw RpcErrors.InvalidArgument(field, e.Message);
        }
    }
}
