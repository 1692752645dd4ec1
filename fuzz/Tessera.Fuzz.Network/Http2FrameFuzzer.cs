using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Google.Protobuf;
using F = Tessera.Fuzz.Network.Http2Frames;

namespace Tessera.Fuzz.Network;

/// <summary>
/// Raw HTTP/2 (h2c, prior knowledge) on a new TCP connection per request: the preface and SETTINGS, then one to five
/// frames that may be wrong (bad lengths, unknown types, bad stream ids, oversized header blocks, bad SETTINGS, window
/// overflows), then a PING. The server may answer with a GOAWAY or close; it must accept the connection, and the
/// probes after each batch show that it still serves everyone else.
/// </summary>
internal sealed class Http2FrameFuzzer(IPEndPoint server, Tally tally)
{
    public const string Kind = "http2";

    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(1);

    private static readonly byte[] PingPayload = "tessera!"u8.ToArray();

    public async Task SendAsync(int request, Mutator mutator)
    {
        using var connection = new TcpClient(server.AddressFamily);
        try
        {
            await connection.ConnectAsync(server);
        }
        catch (SocketException e)
        {
            tally.Failure(Kind, request, $"the server refused the connection: {e.SocketErrorCode}");
            return;
        }

        var stream = connection.GetStream();
        var bytes = new MemoryStream();
        bytes.Write(F.Preface);
        bytes.Write(F.Frame(F.Settings, 0, 0, []));
        var nextStream = 1;
        for (var n = 1 + mutator.Next(5); n > 0; n--)
        {
            bytes.Write(NextFrame(mutator, ref nextStream));
        }

        bytes.Write(F.Frame(F.Ping, 0, 0, PingPayload));
        try
        {
            await stream.WriteAsync(bytes.ToArray());
            tally.Outcome(Kind, await AnswerAsync(stream));
        }
        catch (IOException)
        {
            // The server closed the connection while the frames were still being written: an answer to bad frames.
            tally.Outcome(Kind, "closed while writing");
        }
    }

    /// <summary>How the server answered: a GOAWAY (with its error code), the PING's ACK, a close, or nothing in time.</summary>
    private static async Task<string> AnswerAsync(NetworkStream stream)
    {
        using var timeout = new CancellationTokenSource(ReadTimeout);
        var header = new byte[9];
        try
        {
            while (true)
            {
                await stream.ReadExactlyAsync(header, timeout.Token);
                var length = header[0] << 16 | header[1] << 8 | header[2];
                var payload = new byte[length];
                await stream.ReadExactlyAsync(payload, timeout.Token);
                if (header[3] == F.GoAway && length >= 8)
                {
                    return $"GOAWAY {BinaryPrimitives.ReadUInt32BigEndian(payload.AsSpan(4))}";
                }

                if (header[3] == F.Ping && (header[4] & F.Ack) != 0 && payload.AsSpan().SequenceEqual(PingPayload))
                {
                    return "PING answered";
                }
            }
        }
        catch (OperationCanceledException)
        {
            return "no answer in 1 s";
        }
        catch (Exception e) when (e is EndOfStreamException or IOException)
        {
            return "closed";
        }
    }

    private static byte[] NextFrame(Mutator mutator, ref int nextStream)
    {
        var streamId = mutator.Next(4) switch
        {
            0 => 0,
            1 => 2 * mutator.Next(1000),
            2 => int.MaxValue,
            _ => nextStream,
        };
        nextStream += 2;
        switch (mutator.Next(10))
        {
            case 0:
                var block = RequestHeaders(mutator);
                var mutated = mutator.Next(3) == 0;
                return [.. F.Frame(F.Headers, F.EndHeaders, streamId, mutated ? mutator.Mutate(block) : block),
                    .. F.Frame(F.Data, F.EndStream, streamId, GrpcMessage(mutator))];
            case 1:
                return OversizedHeaders(mutator, streamId);
            case 2:
                return F.Frame(F.Data, (byte)mutator.Next(256), streamId, mutator.RandomBytes(64));
            case 3:
                return BadSettings(mutator);
            case 4:
                var increment = mutator.Pick(new[] { 0u, 1u, 0x7FFFFFFFu, 0xFFFFFFFFu });
                return F.Frame(F.WindowUpdate, 0, streamId, F.UInt32(increment));
            case 5:
                var pingLength = mutator.Pick(new[] { 0, 7, 8, 9, 64 });
                return F.Frame(F.Ping, (byte)mutator.Next(2), streamId, new byte[pingLength]);
            case 6:
                var type = mutator.Pick(new[] { F.RstStream, F.Priority, F.PushPromise, F.GoAway, F.Continuation });
                return F.Frame(type, (byte)mutator.Next(256), streamId, type == F.Priority ? F.UInt32((uint)streamId) : mutator.RandomBytes(16));
            case 7:
                var unknown = (byte)(10 + mutator.Next(246));
                return F.Frame(unknown, (byte)mutator.Next(256), streamId, mutator.RandomBytes(32));
            case 8:
                return mutator.RandomBytes(48);
            default:
                var payload = mutator.RandomBytes(32);
                var declared = mutator.Pick(new[] { 0, payload.Length + 1, 16_385, 0xFFFFFF });
                return F.Frame(F.Data, 0, streamId, payload, declared);
        }
    }

    private static (string, string)[] RequestFields(string method) =>
    [
        (":method", "POST"), (":scheme", "http"), (":path", GrpcSamples.Path(method)), (":authority", "localhost"),
        ("content-type", "application/grpc"), ("te", "trailers"),
    ];

    private static byte[] RequestHeaders(Mutator mutator) => F.HeaderBlock(RequestFields(mutator.Pick(GrpcSamples.Methods)));

    private static byte[] GrpcMessage(Mutator mutator)
    {
        var message = mutator.Mutate(GrpcSamples.For(mutator.Pick(GrpcSamples.Methods), 0)[0].ToByteArray());
        var framed = new byte[5 + message.Length];
        BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(1), (uint)message.Length);
        message.CopyTo(framed, 5);
        return framed;
    }

    /// <summary>A header block of 8-200 KB (an authorization header) split over CONTINUATION frames, maybe never ended.</summary>
    private static byte[] OversizedHeaders(Mutator mutator, int streamId)
    {
        var size = mutator.Pick(new[] { 8_000, 20_000, 100_000, 200_000 });
        var block = F.HeaderBlock([.. RequestFields("GetUser"), ("authorization", "Bearer " + new string('a', size))]);
        var ended = mutator.Next(4) != 0;
        using var frames = new MemoryStream();
        const int Chunk = 16_384;
        for (var offset = 0; offset < block.Length; offset += Chunk)
        {
            var last = offset + Chunk >= block.Length;
            var flags = (byte)(last && ended ? F.EndHeaders | F.EndStream : offset == 0 ? F.EndStream : 0);
            frames.Write(F.Frame(offset == 0 ? F.Headers : F.Continuation, flags, streamId, block[offset..Math.Min(block.Length, offset + Chunk)]));
        }

        return frames.ToArray();
    }

    private static byte[] BadSettings(Mutator mutator)
    {
        (ushort, uint) setting = mutator.Next(6) switch
        {
            0 => (2, 2),                   // ENABLE_PUSH must be 0 or 1
            1 => (4, 0x80000000),          // INITIAL_WINDOW_SIZE above 2^31-1
            2 => (5, 100),                 // MAX_FRAME_SIZE below 16,384
            3 => (5, 0x01000000),          // MAX_FRAME_SIZE above 2^24-1
            4 => (1, 0),                   // HEADER_TABLE_SIZE 0
            _ => ((ushort)mutator.Next(65536), (uint)mutator.Random.Next()),
        };
        var payload = F.SettingsPayload(setting);
        return mutator.Next(4) switch
        {
            0 => F.Frame(F.Settings, 0, 0, payload[..5]),   // a length that is not a multiple of 6
            1 => F.Frame(F.Settings, F.Ack, 0, payload),    // an ACK must be empty
            2 => F.Frame(F.Settings, 0, 1, payload),        // SETTINGS belong to stream 0
            _ => F.Frame(F.Settings, 0, 0, payload),
        };
    }
}
