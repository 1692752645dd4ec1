using System.Buffers.Binary;
using System.Net;
using Google.Protobuf;

namespace Tessera.Fuzz.Network;

/// <summary>
/// gRPC calls over HTTP/2 with mutated bodies: the message bytes, the length prefix (short, long, huge), the
/// compression flag, extra or missing messages, and a few header oddities. Every answer must be a gRPC status other
/// than UNKNOWN, and INTERNAL only without a stack trace; a call that gets no answer in time is a failure too.
/// </summary>
internal sealed class GrpcBodyFuzzer(IPEndPoint server, Tally tally) : IDisposable
{
    public const string Kind = "grpc";

    private readonly HttpClient client = Calls.Client(server, new SocketsHttpHandler { EnableMultipleHttp2Connections = true });

    public async Task SendAsync(int request, Mutator mutator)
    {
        var method = mutator.Pick(GrpcSamples.Methods);
        var messages = GrpcSamples.For(method, request).Select(m => m.ToByteArray()).ToList();
        using var call = new HttpRequestMessage(HttpMethod.Post, GrpcSamples.Path(method))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        var body = Body(messages, mutator);
        call.Content = new ByteArrayContent(body.Bytes);
        call.Content.Headers.TryAddWithoutValidation("content-type", body.ContentType);
        call.Headers.TryAddWithoutValidation("te", "trailers");
        call.Headers.TryAddWithoutValidation("grpc-timeout", "2S");
        if (body.Encoding is not null)
        {
            call.Headers.TryAddWithoutValidation("grpc-encoding", body.Encoding);
        }

        var what = $"{method} with {body.Mutation}";

        using var timeout = new CancellationTokenSource(Calls.AnswerTimeout);
        try
        {
            using var response = await client.SendAsync(call, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            await response.Content.CopyToAsync(Stream.Null, timeout.Token);
            Judge(request, what, response);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            tally.Failure(Kind, request, $"{what}: no answer within {Calls.AnswerTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException e)
        {
            // The server reset the stream or the connection instead of answering with a status.
            tally.Failure(Kind, request, $"{what}: no gRPC status, the call failed: {e.Message}");
        }
    }

    public void Dispose() => client.Dispose();

    private void Judge(int request, string what, HttpResponseMessage response)
    {
        var status = Header(response, "grpc-status");
        if (status is null)
        {
            if (response.StatusCode == HttpStatusCode.OK || (int)response.StatusCode >= 500)
            {
                tally.Failure(Kind, request, $"{what}: HTTP {(int)response.StatusCode} without grpc-status");
            }
            else
            {
                tally.Outcome(Kind, $"HTTP {(int)response.StatusCode}");
            }

            return;
        }

        var message = Uri.UnescapeDataString(Header(response, "grpc-message") ?? "");
        var code = int.TryParse(status, out var c) && c is >= 0 and <= 16 ? (Grpc.Core.StatusCode)c : (Grpc.Core.StatusCode?)null;
        if (code is null or Grpc.Core.StatusCode.Unknown
            || (code == Grpc.Core.StatusCode.Internal && StackTraces.Appear(message)))
        {
            tally.Failure(Kind, request, $"{what}: grpc-status {status} \"{message}\"");
            return;
        }

        tally.Outcome(Kind, code.Value.ToString());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.TrailingHeaders.TryGetValues(name, out var values) || response.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault()
            : null;

    /// <summary>A mutated request body, with the headers that go with it.</summary>
    private static GrpcBody Body(List<byte[]> messages, Mutator mutator)
    {
        var at = mutator.Next(messages.Count);
        switch (mutator.Next(10))
        {
            case 0:
                return new(Frames(messages), "no mutation");
            case 1:
                messages[at] = mutator.Mutate(messages[at]);
                return new(Frames(messages), "mutated message bytes");
            case 2:
                return new(Frames(messages, declaredExtra: 1 + mutator.Next(1000)), "a length prefix longer than the message");
            case 3:
                return new(Frames(messages, declaredExtra: -Math.Min(messages[^1].Length, 1 + mutator.Next(8))), "a length prefix shorter than the message");
            case 4:
                var huge = Frames(messages);
                BinaryPrimitives.WriteUInt32BigEndian(huge.AsSpan(1), (uint)mutator.Pick(new[] { int.MaxValue, 4 * 1024 * 1024 + 1, -1 }));
                return new(huge, "a huge length prefix");
            case 5:
                var flag = (byte)mutator.Pick(new[] { 1, 2, 128, 255 });
                var encoding = mutator.Next(2) == 0 ? mutator.Pick(new[] { "gzip", "deflate", "br", "x-unknown" }) : null;
                return new(Frames(messages, compressionFlag: flag), $"compression flag {flag}, grpc-encoding {encoding ?? "absent"}", Encoding: encoding);
            case 6:
                return new(mutator.RandomBytes(64), "random bytes");
            case 7:
                return new([], "an empty body");
            case 8:
                messages.Add(mutator.Mutate(messages[at]));
                return new(Frames(messages), "an extra mutated message");
            default:
                var contentType = mutator.Pick(new[] { "application/grpc+json", "text/plain", "application/grpc; charset=x" });
                return new(Frames(messages), $"content-type {contentType}", contentType);
        }
    }

    private sealed record GrpcBody(byte[] Bytes, string Mutation, string ContentType = "application/grpc", string? Encoding = null);

    /// <summary>gRPC length-prefixed messages; the last one's declared length is off by <paramref name="declaredExtra"/>.</summary>
    private static byte[] Frames(List<byte[]> messages, int declaredExtra = 0, byte compressionFlag = 0)
    {
        using var body = new MemoryStream();
        Span<byte> prefix = stackalloc byte[5];
        for (var i = 0; i < messages.Count; i++)
        {
            prefix[0] = compressionFlag;
            var length = messages[i].Length + (i == messages.Count - 1 ? declaredExtra : 0);
            BinaryPrimitives.WriteUInt32BigEndian(prefix[1..], (uint)length);
            body.Write(prefix);
            body.Write(messages[i]);
        }

        return body.ToArray();
    }
}
