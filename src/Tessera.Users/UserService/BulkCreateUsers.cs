using Tessera.Contracts;
using Grpc.Core;
using Microsoft.AspNetCore.Authorization;
using Tessera.Users.Auth;
using Tessera.Contracts.User.V1;
using Tessera.Users.Storage;
using Tessera.Users.Validation;

namespace Tessera.Users;

public sealed partial class UserService
{
    /// <summary>Users committed per transaction by BulkCreateUsers.</summary>
    public const int BulkBatchSize = 500;

    /// <summary>Failures listed in a BulkCreateResponse; failed_count still counts them all.</summary>
    public const int MaxListedFailures = 1000;

    [Authorize(Roles = Roles.Admin)]
    public override async Task<BulkCreateResponse> BulkCreateUsers(IAsyncStreamReader<CreateUserRequest> requestStream, ServerCallContext context)
    {
        var response = new BulkCreateResponse();
        var batch = new List<(int Index, CreateUserRequest Request, NewUser User)>(BulkBatchSize);
        var index = 0;
        var received = false;
        await foreach (var request in requestStream.ReadAllAsync(context.CancellationToken))
        {
            received = true;
            try
            {
                UserEditor.ValidateCreate(request);
                var hash = request.Password.Length > 0 ? await passwords.HashAsync(request.Password, context.CancellationToken) : null;
                batch.Add((index, request, UserEditor.ToNewUser(request, hash)));
            }
            catch (RpcException invalid)
            {
                AddFailure(response, index, invalid.StatusCode, invalid.Status.Detail, FirstField(invalid));
            }

            index++;
            if (batch.Count == BulkBatchSize)
            {
                await CommitBatchAsync(batch, response, context.CancellationToken);
            }
        }

        if (!received)
        {
            throw RpcErrors.InvalidArgument("requests", "the stream carried no users; send at least one CreateUserRequest");
        }

        await CommitBatchAsync(batch, response, context.CancellationToken);
        return response;
    }

    private async Task CommitBatchAsync(List<(int Index, CreateUserRequest Request, NewUser User)> batch, BulkCreateResponse response, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var results = await store.CreateManyAsync([.. batch.Select(item => item.User)], cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            if (results[i].User is not null)
            {
                response.CreatedCount++;
                response.LastRevision = Math.Max(response.LastRevision, results[i].Revision);
            }
            else
            {
                var field = results[i].ConflictField!;
                var value = field == "username" ? batch[i].Request.Username : batch[i].Request.Email;
                AddFailure(response, batch[i].Index, StatusCode.AlreadyExists, $"a user with this {field} already exists: '{value}'", field);
            }
        }

        batch.Clear();
    }

    private static void AddFailure(BulkCreateResponse response, int index, StatusCode code, string reason, string field)
    {
        response.FailedCount++;
        if (response.Failures.Count < MaxListedFailures)
        {
            response.Failures.Add(new BulkCreateFailure { Index = index, Code = code.Name(), Reason = reason, Field = field });
        }
    }

    private static string FirstField(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.FirstOrDefault()?.Field ?? "";
}
