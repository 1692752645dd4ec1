using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Bench.Baseline;

/// <summary>
/// The platform's cost with nothing of ours: GetUser (a dictionary lookup, NOT_FOUND for an unknown id), ListUsers
/// (every user, in id order, from memory, written as Tessera writes a list: buffered, flushed every 256 messages),
/// and what `tessera bench watch` and `watch-idle` call: CreateUser and BulkCreateUsers append to an in-memory
/// <see cref="ChangeLog"/> (nothing is stored), WatchUserChanges follows it (each batch buffered, one flush). Started with
/// a directory, CreateUser, BulkCreateUsers and ListUsers use SQLite instead (<see cref="DurableUsers"/>): a create
/// answers once committed, a bulk stream commits batches of 500 (the next read while one commits, as Tessera does),
/// and a list reads the table.
/// </summary>
public sealed class BareUserService(UserTable users, ChangeLog changes, DurableUsers? durable = null) : UserService.UserServiceBase
{
    private const int FlushEvery = 256;

    private const int DurableBatch = 500;

    private static readonly WriteOptions Buffered = new(WriteFlags.BufferHint);

    public override Task<User> GetUser(GetUserRequest request, ServerCallContext context) =>
        users.Find(request.UserId) is { } user
            ? Task.FromResult(user)
            : throw new RpcException(new Status(StatusCode.NotFound, $"user {request.UserId} does not exist"));

    public override async Task ListUsers(ListUsersRequest request, IServerStreamWriter<User> responseStream, ServerCallContext context)
    {
        var sent = 0;
        foreach (var user in durable?.ReadAll() ?? users.InIdOrder)
        {
            responseStream.WriteOptions = ++sent % FlushEvery == 0 ? null : Buffered;
            await responseStream.WriteAsync(user, context.CancellationToken);
        }
    }

    public override async Task<CreateUserResponse> CreateUser(CreateUserRequest request, ServerCallContext context)
    {
        var user = new User { Username = request.Username, Email = request.Email, FullName = request.FullName };
        if (durable is null)
        {
            changes.Append(user);
        }
        else if ((await durable.CreateAsync([request]))[0] is var id and > 0)
        {
            user.Id = id;
        }
        else
        {
            throw new RpcException(new Status(StatusCode.AlreadyExists, "username or email is taken"));
        }

        return new CreateUserResponse { User = user };
    }

    public override async Task<BulkCreateResponse> BulkCreateUsers(IAsyncStreamReader<CreateUserRequest> requestStream, ServerCallContext context)
    {
        var response = new BulkCreateResponse();
        if (durable is not null)
        {
            await DurableBulkCreateAsync(requestStream, response, context.CancellationToken);
            return response;
        }

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

    private async Task DurableBulkCreateAsync(IAsyncStreamReader<CreateUserRequest> requestStream, BulkCreateResponse response, CancellationToken cancellationToken)
    {
        var batch = new List<CreateUserRequest>(DurableBatch);
        Task<long[]> committing = Task.FromResult(Array.Empty<long>());
        await foreach (var request in requestStream.ReadAllAsync(cancellationToken))
        {
            batch.Add(request);
            if (batch.Count == DurableBatch)
            {
                Count(await committing, response);
                committing = durable!.CreateAsync(batch);
                batch = new List<CreateUserRequest>(DurableBatch);
            }
        }

        Count(await committing, response);
        if (batch.Count > 0)
        {
            Count(await durable!.CreateAsync(batch), response);
        }
    }

    private static void Count(long[] ids, BulkCreateResponse response)
    {
        foreach (var id in ids)
        {
            if (id > 0)
            {
                response.CreatedCount++;
            }
            else
            {
                response.FailedCount++;
            }
        }
    }
}
