using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>
/// The platform's cost with nothing of ours: GetUser (a dictionary lookup, NOT_FOUND for an unknown id), ListUsers
/// (every user, in id order, from memory, written as Tessera writes a list: buffered, flushed every 256 messages),
/// and what `tessera bench watch` and `watch-idle` call: CreateUser and BulkCreateUsers append to an in-memory
/// <see cref="ChangeLog"/> (nothing is stored), WatchUserChanges follows it (each batch buffered, one flush).
/// </summary>
public sealed class BareUserService(UserTable users, ChangeLog changes) : UserService.UserServiceBase
{
    private const int FlushEvery = 256;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public override Task<User> GetUser(GetUserRequest request, ServerCallContext context) =>
        users.Find(request.UserId) is { } user
            ? Task.FromResult(user)
            : throw new RpcException(new Status(StatusCode.NotFound, $"user {request.UserId} does not exist"));

    public override async Task ListUsers(ListUsersRequest request, IServerStreamWriter<User> responseStream, ServerCallContext context)
    {
        var sent = 0;
        foreach (var user in users.InIdOrder)
        {
            responseStream.WriteOptions = ++sent % FlushEvery == 0 ? null : Buffered;
            await responseStream.WriteAsync(user, context.CancellationToken);
        }
    }

    public override Task<CreateUserResponse> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        var user = new User { Username = request.Username, Email = request.Email, FullName = request.FullName };
        changes.Append(user);
        return Task.FromResult(new CreateUserResponse { User = user });
    }

    public override async Task<BulkCreateResponse> BulkCreateUsers(IAsyncStreamReader<CreateUserRequest> requestStream, ServerCallContext context)
    {
        var response = new BulkCreateResponse();
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            response.LastRevision = changes.Append(new User { Username = request.Username, Email = request.Email, FullName = request.FullName });
            response.CreatedCount++;
        }

        return response;
    }

    public override async Task WatchUserChanges(WatchUserRequest request, IServerStreamWriter<UserEvent> responseStream, ServerCallContext context)
    {
        var revision = request.StartRevision;
        while (!context.CancellationToken.IsCancellationRequested)
        {
            var batch = await changes.ReadAfterAsync(revision, context.CancellationToken);
            for (var i = 0; i < batch.Length; i++)
            {
                responseStream.WriteOptions = i < batch.Length - 1 ? Buffered : null;
                await responseStream.WriteAsync(batch[i], context.CancellationToken);
            }

            revision = batch[^1].Revision;
        }
    }
}
