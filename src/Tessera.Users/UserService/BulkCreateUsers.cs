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
    /// a client resends the same items to finish (see the proto comment). One batch commits while the next is read.
    /// </summary>
    [Authorize(Roles = Roles.Admin)]
    public override async Task<BulkCreateResponse> BulkCreateUsers(IAsyncStreamReader<CreateUserRequest> requestStream, ServerCallContext context)
    {
        var response = new BulkCreateResponse();
        var batch = new BulkBatch();
        Task committing = Task.CompletedTask;
        var index = 0;

        // Reading stops when the host starts stopping, so a slow client never holds up shutdown: a full batch commits
        // with the call's own token, the items of a batch not yet full are dropped, and the client is told UNAVAILABLE.
        using var reading = LinkToShutdown(context);
        try
        {
            await foreach (var request in requestStream.ReadAllAsync(reading.Token))
            {
                try
                {
                    UserEditor.ValidateCreate(request);
                    batch.Valid.Add(new BulkPending(index, request));
                }
                catch (RpcException invalid)
                {
                    batch.Invalid.Add(new BulkCreateFailure { Index = index, Code = invalid.StatusCode.Name(), Reason = invalid.Status.Detail, Field = FirstField(invalid) });
                }

                index++;
                if (batch.Valid.Count == BulkBatchSize)
                {
                    // The response is the committing batch's alone until it completes; then the next batch takes it.
                    await committing;
                    committing = CommitBatchAsync(batch, response, context.CancellationToken);
                    batch = new BulkBatch();
                }
            }
        }
        catch (OperationCanceledException) when (ShuttingDown && !context.CancellationToken.IsCancellationRequested)
        {
            await committing;
            throw RpcErrors.ShuttingDown();
        }
        catch
        {
            // The stream broke (the client went away): the batch already committing still finishes or is cancelled.
            await committing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            throw;
        }

        await committing;
        if (index == 0)
        {
            throw RpcErrors.InvalidArgument("requests", "the stream carried no users; send at least one CreateUserRequest");
        }

        await CommitBatchAsync(batch, response, context.CancellationToken);
        return response;
    }

    private async Task CommitBatchAsync(BulkBatch batch, BulkCreateResponse response, CancellationToken cancellationToken)
    {
        var valid = batch.Valid;
        var results = valid.Count == 0 ? [] : await store.CreateManyAsync(await ToItemsAsync(valid, cancellationToken), cancellationToken);
        var invalid = 0;
        for (var i = 0; i < valid.Count; i++)
        {
            // Failures are listed in stream order: the invalid items read before this one first.
            for (; invalid < batch.Invalid.Count && batch.Invalid[invalid].Index < valid[i].Index; invalid++)
            {
                AddFailure(response, batch.Invalid[invalid]);
            }

            var (index, request) = valid[i];
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
                    AddFailure(response, new BulkCreateFailure { Index = index, Code = StatusCode.AlreadyExists.Name(), Reason = $"a user with this {field} already exists: '{value}'", Field = field });
                    break;
                case BulkItemOutcome.RequestIdMismatch:
                    AddFailure(response, new BulkCreateFailure { Index = index, Code = StatusCode.InvalidArgument.Name(), Reason = $"request_id {RequestIdUsedElsewhere}", Field = "request_id" });
                    break;
            }
        }

        for (; invalid < batch.Invalid.Count; invalid++)
        {
            AddFailure(response, batch.Invalid[invalid]);
        }
    }

    /// <summary>
    /// The store's items, passwords hashed. A request id already in the log can only replay or be rejected, so a
    /// retried stream does not hash again the passwords of what it already stored.
    /// </summary>
    private async Task<List<BulkCreateItem>> ToItemsAsync(List<BulkPending> valid, CancellationToken cancellationToken)
    {
        var requestIds = valid.Select(item => item.RequestId).OfType<string>().ToHashSet(StringComparer.Ordinal);
        IReadOnlySet<string> used = requestIds.Count == 0 ? requestIds : await store.FindUsedRequestIdsAsync(requestIds, cancellationToken);
        var items = new List<BulkCreateItem>(valid.Count);
        foreach (var (_, request) in valid)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var requestId = NullIfEmpty(request.RequestId);
            var replayOnly = requestId is not null && used.Contains(requestId);
            var hash = replayOnly || request.Password.Length == 0 ? null : await passwords.HashAsync(request.Password, cancellationToken);
            items.Add(new BulkCreateItem(UserEditor.ToNewUser(request, hash), requestId, replayOnly));
        }

        return items;
    }

    private static void AddFailure(BulkCreateResponse response, BulkCreateFailure failure)
    {
        response.FailedCount++;
        if (response.Failures.Count < MaxListedFailures)
        {
            response.Failures.Add(failure);
        }
    }

    private static string FirstField(RpcException e) =>
        e.GetRpcStatus()?.GetDetail<Google.Rpc.BadRequest>()?.FieldViolations.FirstOrDefault()?.Field ?? "";

    /// <summary>The items read since the last commit: the valid ones wait for theirs, the invalid ones are reported with it.</summary>
    private sealed class BulkBatch
    {
        public List<BulkPending> Valid { get; } = new(BulkBatchSize);

        public List<BulkCreateFailure> Invalid { get; } = [];
    }

    /// <summary>A valid item waiting for its batch's commit, and its position in the client's stream.</summary>
    private sealed record BulkPending(int Index, CreateUserRequest Request)
    {
        public string? RequestId => Request.RequestId.Length > 0 ? Request.RequestId : null;
    }
}
