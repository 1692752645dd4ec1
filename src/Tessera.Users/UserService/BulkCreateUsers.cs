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
    /// <summary>Users committed per transaction by BulkCreateUsers: a cut stream keeps every batch it completed.</summary>
    public const int BulkBatchSize = 500;

    /// <summary>Failures listed in a BulkCreateResponse; failed_count still counts them all.</summary>
    public const int MaxListedFailures = 1000;

    /// <summary>
    /// Reads the stream in batches of <see cref="BulkBatchSize"/> valid items and commits each batch as soon as it is
    /// full, so a cut stream keeps what it committed; each item's request_id is honoured as CreateUser honours it, so
    /// a client resends the same items to finish (see the proto comment).
    /// </summary>
    [Authorize(Roles = Roles.Admin)]
    public override async Task<BulkCreateResponse> BulkCreateUsers(IAsyncStreamReader<CreateUserRequest> requestStream, ServerCallContext context)
    {
        var response = new BulkCreateResponse();
        var batch = new List<BulkPending>(BulkBatchSize);
        var index = 0;
        var received = false;

        // Reading stops when the host starts stopping, so a slow client never holds up shutdown: a full batch commits
        // with the call's own token, the items of a batch not yet full are dropped, and the client is told UNAVAILABLE.
        using var reading = LinkToShutdown(context);
        try
        {
            await foreach (var request in requestStream.ReadAllAsync(reading.Token))
            {
                received = true;
                try
                {
                    UserEditor.ValidateCreate(request);
                    batch.Add(new BulkPending(index, request));
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
        }
        catch (OperationCanceledException) when (ShuttingDown && !context.CancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.ShuttingDown();
        }

        if (!received)
        {
            throw RpcErrors.InvalidArgument("requests", "the stream carried no users; send at least one CreateUserRequest");
        }

        await CommitBatchAsync(batch, response, context.CancellationToken);
        return response;
    }

    private async Task CommitBatchAsync(List<BulkPending> batch, BulkCreateResponse response, CancellationToken cancellationToken)
    {
        if (batch.Count == 0)
        {
            return;
        }

        // A request id already in the log can only replay or be rejected, so a retried stream does not hash again
        // the passwords of what it already stored.
        var requestIds = batch.Select(item => item.RequestId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var used = await store.FindUsedRequestIdsAsync(requestIds, cancellationToken);
        var items = new List<BulkCreateItem>(batch.Count);
        foreach (var (_, request) in batch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var requestId = NullIfEmpty(request.RequestId);
            var replayOnly = requestId is not null && used.Contains(requestId);
            var hash = replayOnly || request.Password.Length == 0 ? null : await passwords.HashAsync(request.Password, cancellationToken);
            items.Add(new BulkCreateItem(UserEditor.ToNewUser(request, hash), requestId, replayOnly));
        }

        var results = await store.CreateManyAsync(items, cancellationToken);
        for (var i = 0; i < batch.Count; i++)
        {
            var (index, request) = batch[i];
            switch (results[i].Outcome)
            {
                case BulkItemOutcome.Created:
                    response.CreatedCount++;
                    response.LastRevision = Math.Max(response.LastRevision, results[i].Revision);
                    break;
                case BulkItemOutcome.Replayed:
                    response.ReplayedCount++;
                    break;
                case BulkItemOutcome.Conflict:
                    var field = results[i].ConflictField!;
                    var value = field == "username" ? request.Username : request.Email;
                    AddFailure(response, index, StatusCode.AlreadyExists, $"a user with this {field} already exists: '{value}'", field);
                    break;
                case BulkItemOutcome.RequestIdMismatch:
                    AddFailure(response, index, StatusCode.InvalidArgument, $"request_id {RequestIdUsedElsewhere}", "request_id");
                    break;
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

    /// <summary>A valid item waiting for its batch's commit, and its position in the client's stream.</summary>
    private sealed record BulkPending(int Index, CreateUserRequest Request)
    {
        public string? RequestId => Request.RequestId.Length > 0 ? Request.RequestId : null;
    }
}
