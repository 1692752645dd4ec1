using System.Runtime.CompilerServices;
using Grpc.Core;
using Tessera.Contracts.User.V1;

namespace Tessera.Client;

// The streaming operations. They are long-lived, so they get no deadline unless the caller passes one.
public sealed partial class TesseraClient
{
    /// <summary>The users of one page (page, page_size, filter), as the server streams them.</summary>
    /// <remarks>The call starts when enumeration starts; a failure surfaces as a <see cref="TesseraException"/> from the enumerator.</remarks>
    public async IAsyncEnumerable<User> ListUsersAsync(
        ListUsersRequest request,
        DateTime? deadline = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = _users.ListUsers(request, StreamOptions(deadline, cancellationToken));
        await foreach (var user in ReadAllAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false))
        {
            yield return user;
        }
    }

    /// <summary>Every change after <see cref="WatchUserRequest.StartRevision"/>, then live changes until cancelled.</summary>
    public async IAsyncEnumerable<UserEvent> WatchUserChangesAsync(
        WatchUserRequest request,
        DateTime? deadline = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var call = _users.WatchUserChanges(request, StreamOptions(deadline, cancellationToken));
        await foreach (var change in ReadAllAsync(call.ResponseStream, cancellationToken).ConfigureAwait(false))
        {
            yield return change;
        }
    }

    /// <summary>
    /// Streams <paramref name="requests"/> to the server and returns its summary; one bad item does not fail
    /// the others (<see cref="BulkCreateFailure.Index"/> is the item's zero-based position).
    /// <paramref name="progress"/> hears the number of items sent so far after each one (sent, not yet stored).
    /// The server commits every 500 items; if the call fails part-way, send the same items with the same
    /// <see cref="CreateUserRequest.RequestId"/>s again: what was stored replays (<see cref="BulkCreateResponse.ReplayedCount"/>).
    /// </summary>
    public async Task<BulkCreateResponse> BulkCreateUsersAsync(
        IAsyncEnumerable<CreateUserRequest> requests,
        IProgress<int>? progress = null,
        DateTime? deadline = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var call = _users.BulkCreateUsers(StreamOptions(deadline, cancellationToken));
        var explain = ExplainByResponse(call.ResponseAsync, cancellationToken);
        var sent = 0;
        await foreach (var request in requests.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            await WriteAsync(call.RequestStream, request, explain, cancellationToken).ConfigureAwait(false);
            progress?.Report(++sent);
        }

        return await FinishAsync(call, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc cref="BulkCreateUsersAsync(IAsyncEnumerable{CreateUserRequest}, IProgress{int}?, DateTime?, CancellationToken)"/>
    public async Task<BulkCreateResponse> BulkCreateUsersAsync(
        IEnumerable<CreateUserRequest> requests,
        IProgress<int>? progress = null,
        DateTime? deadline = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(requests);
        using var call = _users.BulkCreateUsers(StreamOptions(deadline, cancellationToken));
        var explain = ExplainByResponse(call.ResponseAsync, cancellationToken);
        var sent = 0;
        foreach (var request in requests)
        {
            await WriteAsync(call.RequestStream, request, explain, cancellationToken).ConfigureAwait(false);
            progress?.Report(++sent);
        }

        return await FinishAsync(call, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a chat session: send a <see cref="ChatMessage.Types.Kind.Join"/> first, then text, then leave.</summary>
    public TesseraDuplexStream<ChatMessage, ChatMessage> OpenChat(DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        new(_users.UserChat(StreamOptions(deadline, cancellationToken)), cancellationToken);

    /// <summary>Opens a two-way sync session: send a <see cref="SyncStart"/> first, then edits.</summary>
    public TesseraDuplexStream<UserSyncRequest, UserSyncResponse> OpenSync(DateTime? deadline = null, CancellationToken cancellationToken = default) =>
        new(_users.SyncUsers(StreamOptions(deadline, cancellationToken)), cancellationToken);

    /// <summary>Reads a response stream to its end, translating a failure.</summary>
    internal static async IAsyncEnumerable<T> ReadAllAsync<T>(IAsyncStreamReader<T> stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (true)
        {
            bool more;
            try
            {
                more = await stream.MoveNext(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                throw RpcErrorTranslator.Translate(e, cancellationToken);
            }

            if (!more)
            {
                yield break;
            }

            yield return stream.Current;
        }
    }

    /// <summary>
    /// Writes one message. If the server has already ended the call, the write fails without saying why;
    /// <paramref name="explain"/> finds the call's own status, which does, and that is what is thrown.
    /// </summary>
    internal static async Task WriteAsync<T>(IClientStreamWriter<T> writer, T message, Func<Exception, Task<Exception>> explain, CancellationToken cancellationToken)
    {
        try
        {
            await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            throw await explain(e).ConfigureAwait(false);
        }
    }

    /// <summary>Why a client-streaming call's write failed: the status its response ended with.</summary>
    private static Func<Exception, Task<Exception>> ExplainByResponse<TResponse>(Task<TResponse> response, CancellationToken cancellationToken) =>
        async writeFailure =>
        {
            try
            {
                await response.WaitAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (RpcException status)
            {
                return RpcErrorTranslator.Translate(status, cancellationToken);
            }

            return writeFailure is RpcException rpc ? RpcErrorTranslator.Translate(rpc, cancellationToken) : writeFailure;
        };

    private static async Task<BulkCreateResponse> FinishAsync(AsyncClientStreamingCall<CreateUserRequest, BulkCreateResponse> call, CancellationToken cancellationToken)
    {
        try
        {
            await call.RequestStream.CompleteAsync().ConfigureAwait(false);
            return await call.ResponseAsync.ConfigureAwait(false);
        }
        catch (RpcException e)
        {
            throw RpcErrorTranslator.Translate(e, cancellationToken);
        }
    }
}
