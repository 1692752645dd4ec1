using Grpc.Core;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>
/// BulkCreateUsers as the server does it, over a fake call invoker: a directory of usernames, and the request-id log
/// (a used id replays for the same user, fails INVALID_ARGUMENT for another); "taken" always exists. A test can cut
/// a call: that call stores the first rows it carried, then fails UNAVAILABLE with no summary, as a stream cut
/// after a committed batch does.
/// </summary>
internal sealed class ImportFakeServer
{
    private readonly Dictionary<string, string> requestLog = new(StringComparer.Ordinal);

    /// <summary>Every username stored, in the order stored.</summary>
    public List<string> Stored { get; } = [];

    /// <summary>Every call's requests, in call order.</summary>
    public List<List<CreateUserRequest>> Calls { get; } = [];

    /// <summary>When set, call number <c>Call</c> (0-based) stores its first <c>RowsStored</c> rows, then is cut.</summary>
    public (int Call, int RowsStored)? Cut { get; set; }

    /// <summary>Hears each call's summary as the server answers it, before the client sees it.</summary>
    public Action<BulkCreateResponse>? Answering { get; set; }

    public void AttachTo(FakeCallInvoker invoker) => invoker.OnClientStreaming = _ => NewCall();

    private FakeClientStream<CreateUserRequest, BulkCreateResponse> NewCall()
    {
        var stream = new FakeClientStream<CreateUserRequest, BulkCreateResponse>();
        stream.Writer.OnChange = writer =>
        {
            if (!writer.Completed)
            {
                return;
            }

            var number = Calls.Count;
            Calls.Add([.. writer.Written]);
            if (Cut is { } cut && cut.Call == number)
            {
                Answer(writer.Written.Take(cut.RowsStored).ToList());
                stream.Response.SetException(ServerErrors.Rich(StatusCode.Unavailable, "the server is shutting down", "SHUTTING_DOWN"));
                return;
            }

            var response = Answer(writer.Written);
            Answering?.Invoke(response);
            stream.Response.SetResult(response);
        };
        return stream;
    }

    private BulkCreateResponse Answer(IReadOnlyList<CreateUserRequest> requests)
    {
        var response = new BulkCreateResponse();
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            if (request.RequestId.Length > 0 && requestLog.TryGetValue(request.RequestId, out var earlier))
            {
                if (earlier == request.Username)
                {
                    response.ReplayedCount++;
                }
                else
                {
                    response.Failures.Add(new BulkCreateFailure { Index = i, Code = "INVALID_ARGUMENT", Reason = "request_id was already used for a create of a different user", Field = "request_id" });
                }
            }
            else if (request.Username == "taken" || Stored.Contains(request.Username))
            {
                response.Failures.Add(new BulkCreateFailure { Index = i, Code = "ALREADY_EXISTS", Reason = "username taken", Field = "username" });
            }
            else
            {
                Stored.Add(request.Username);
                response.CreatedCount++;
                if (request.RequestId.Length > 0)
                {
                    requestLog[request.RequestId] = request.Username;
                }
            }
        }

        response.FailedCount = response.Failures.Count;
        return response;
    }
}
