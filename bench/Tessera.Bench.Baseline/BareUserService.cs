using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>
/// GetUser (a dictionary lookup, NOT_FOUND for an unknown id) and ListUsers (every user, in id order, from memory,
/// written as Tessera writes a list: buffered, flushed every 256 messages): the platform's cost with nothing of ours.
/// </summary>
public sealed class BareUserService(UserTable users) : UserService.UserServiceBase
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
}
