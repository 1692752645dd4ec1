using System.IO.Compression;
using Grpc.Net.Compression;

namespace Tessera.Server.Requests;

/// <summary>
/// The server's compression providers (gzip, Grpc.AspNetCore's default), each wrapped so that a request message
/// flagged compressed that does not decompress is INVALID_ARGUMENT (not UNKNOWN and a logged stack trace), and one
/// that decompresses to more than the message limit is RESOURCE_EXHAUSTED before it is all in memory (Grpc.AspNetCore
/// checks only the compressed length: a few KB of gzip can expand to gigabytes).
/// </summary>
public static class CheckedDecompression
{
    public static void Wrap(IList<ICompressionProvider> providers, int maxMessageBytes)
    {
        if (providers.Count == 0)
        {
            providers.Add(new GzipCompressionProvider(CompressionLevel.Fastest));
        }

        for (var i = 0; i < providers.Count; i++)
        {
            if (providers[i] is not Provider)
            {
                providers[i] = new Provider(providers[i], maxMessageBytes);
            }
        }
    }

    private sealed class Provider(ICompressionProvider inner, int maxMessageBytes) : ICompressionProvider
    {
        public string EncodingName => inner.EncodingName;

        public Stream CreateCompressionStream(Stream stream, CompressionLevel? compressionLevel) => inner.CreateCompressionStream(stream, compressionLevel);

        public Stream CreateDecompressionStream(Stream stream) => new Checked(inner.CreateDecompressionStream(stream), inner.EncodingName, maxMessageBytes);
    }

    /// <summary>A decompressing stream, read once to its end by Grpc.AspNetCore, that counts and checks what it gives.</summary>
    private sealed class Checked(Stream inner, string encoding, int maxMessageBytes) : Stream
    {
        private long total;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read;
            try
            {
                read = inner.Read(buffer);
            }
            catch (InvalidDataException)
            {
                throw FramingErrors.Malformed($"its message is flagged {encoding}-compressed but does not decompress");
            }

            total += read;
            if (total > maxMessageBytes)
            {
                throw FramingErrors.TooLarge($"the request message decompresses to more than {maxMessageBytes:N0} bytes", maxMessageBytes);
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
