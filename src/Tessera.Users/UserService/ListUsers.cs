using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Users.Filtering;
using Tessera.Users.Storage;

namespace Tessera.Users;

public sealed partial class UserService
{
    /// <summary>The largest page ListUsers streams; larger page sizes are coerced down (AIP-158).</summary>
    public const int MaxListPageSize = 1000;

    /// <summary>The users ListUsers reads per statement, and writes per transport flush.</summary>
    private const int ListChunkSize = 256;

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
            // Read a chunk whole, its statement closed, then write it: a client that stops reading holds one chunk,
            // never a read transaction (on SQLite an open one keeps the write-ahead log from being reset, so it grows
            // with every write; on PostgreSQL it holds back vacuum). Between chunks the directory may change: a user
            // is listed as it was when its chunk was read, each once, in id order.
            var remaining = pageSize == 0 ? long.MaxValue : pageSize;
            UserPosition? after = null;
            var chunk = new List<UserRecord>(ListChunkSize);
            while (remaining > 0)
            {
                var wanted = (int)Math.Min(ListChunkSize, remaining);
                chunk.Clear();
                await foreach (var user in store.ListAsync(filter, UserOrder.ById, after, after is null ? offset : 0, wanted, cancellation.Token))
                {
                    chunk.Add(user);
                }

                // Let the transport batch a chunk's messages into large writes, flushed with its last.
                for (var i = 0; i < chunk.Count; i++)
                {
                    responseStream.WriteOptions = i == chunk.Count - 1 ? null : BufferedWrite;
                    await responseStream.WriteAsync(chunk[i].ToProto(), context.CancellationToken);
                }

                if (chunk.Count < wanted)
                {
                    break;
                }

                remaining -= chunk.Count;
                after = new UserPosition(chunk[^1].Id.ToString(System.Globalization.CultureInfo.InvariantCulture), chunk[^1].Id);
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
