using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Tessera.Server.Requests;

/// <summary>
/// A gRPC request body that checks each message's 5-byte prefix before Grpc.AspNetCore reads it: a compressed flag
/// other than 0 or 1 is INVALID_ARGUMENT and a length over the message limit RESOURCE_EXHAUSTED
/// (<see cref="FramingErrors"/>), where Grpc.AspNetCore would throw an InvalidDataException or IOException of its own
/// (a length over 2 GiB) and answer UNKNOWN. Its reader consumes whole messages only, so every buffer it is given
/// starts with a prefix: that is the one checked. A client's reset while the body is read is CANCELLED.
/// </summary>
internal sealed class FramedMessageReader(PipeReader inner, int maxMessageBytes) : PipeReader
{
    private const int PrefixBytes = 5;

    public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ValueTask<ReadResult> read;
        try
        {
            read = inner.ReadAsync(cancellationToken);
        }
        catch (IOException e) when (IsReset(e))
        {
            throw ClientReset();
        }

        if (!read.IsCompletedSuccessfully)
        {
            return CheckedAsync(read);
        }

        var result = read.Result;
        Check(result.Buffer);
        return new ValueTask<ReadResult>(result);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Check(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        try
        {
            inner.AdvanceTo(consumed, examined);
        }
        catch (IOException e) when (IsReset(e))
        {
            throw ClientReset();
        }
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    /// <summary>
    /// Whether Kestrel's body reader failed because the client reset the call (a deadline of a millisecond does it) or
    /// its connection was lost: an IOException from ReadAsync or AdvanceTo, which Grpc.AspNetCore would answer UNKNOWN
    /// and log as an error with a stack trace; it is CANCELLED (<see cref="ClientReset"/>). A BadHttpRequestException,
    /// also an IOException, is not a reset.
    /// </summary>
    private static bool IsReset(IOException e) => e is not BadHttpRequestException;

    private static Grpc.Core.RpcException ClientReset() =>
        new(new Grpc.Core.Status(Grpc.Core.StatusCode.Cancelled, "the client reset the call before its request was read"));

    private async ValueTask<ReadResult> CheckedAsync(ValueTask<ReadResult> read)
    {
        ReadResult result;
        try
        {
            result = await read.ConfigureAwait(false);
        }
        catch (IOException e) when (IsReset(e))
        {
            throw ClientReset();
        }

        Check(result.Buffer);
        return result;
    }

    private void Check(ReadOnlySequence<byte> buffer)
    {
        if (buffer.Length < PrefixBytes)
        {
            return;
        }

        Span<byte> prefix = stackalloc byte[PrefixBytes];
        buffer.Slice(0, PrefixBytes).CopyTo(prefix);
        if (prefix[0] > 1)
        {
            throw FramingErrors.Malformed($"its compressed flag is {prefix[0]} (0 or 1)");
        }

        var length = BinaryPrimitives.ReadUInt32BigEndian(prefix[1..]);
        if (length > maxMessageBytes)
        {
            throw FramingErrors.TooLarge($"the request message says it is {length:N0} bytes", maxMessageBytes);
        }
    }
}
