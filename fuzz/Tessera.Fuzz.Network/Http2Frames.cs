using System.Buffers.Binary;
using System.Text;

namespace Tessera.Fuzz.Network;

/// <summary>HTTP/2 frames written by hand (RFC 9113), so that they can be wrong: any type, flags, stream id and length.</summary>
internal static class Http2Frames
{
    public const byte Data = 0x0, Headers = 0x1, Priority = 0x2, RstStream = 0x3, Settings = 0x4, PushPromise = 0x5, Ping = 0x6, GoAway = 0x7,
        WindowUpdate = 0x8, Continuation = 0x9;

    public const byte EndStream = 0x1, Ack = 0x1, EndHeaders = 0x4, Padded = 0x8, PriorityFlag = 0x20;

    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    /// <summary>A frame whose header declares <paramref name="declaredLength"/> (by default the payload's length).</summary>
    public static byte[] Frame(byte type, byte flags, int streamId, byte[] payload, int? declaredLength = null)
    {
        var frame = new byte[9 + payload.Length];
        var length = declaredLength ?? payload.Length;
        frame[0] = (byte)(length >> 16);
        frame[1] = (byte)(length >> 8);
        frame[2] = (byte)length;
        frame[3] = type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), streamId);
        payload.CopyTo(frame, 9);
        return frame;
    }

    public static byte[] SettingsPayload(params (ushort Id, uint Value)[] settings)
    {
        var payload = new byte[6 * settings.Length];
        for (var i = 0; i < settings.Length; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload.AsSpan(6 * i), settings[i].Id);
            BinaryPrimitives.WriteUInt32BigEndian(payload.AsSpan(6 * i + 2), settings[i].Value);
        }

        return payload;
    }

    /// <summary>An HPACK block of literal fields without indexing or Huffman coding (RFC 7541 6.2.2).</summary>
    public static byte[] HeaderBlock(IEnumerable<(string Name, string Value)> fields)
    {
        using var block = new MemoryStream();
        foreach (var (name, value) in fields)
        {
            block.WriteByte(0);
            String(block, name);
            String(block, value);
        }

        return block.ToArray();
    }

    public static byte[] UInt32(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static void String(MemoryStream block, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        Integer(block, bytes.Length);
        block.Write(bytes);
    }

    /// <summary>An HPACK integer with a 7-bit prefix.</summary>
    private static void Integer(MemoryStream block, int value)
    {
        if (value < 127)
        {
            block.WriteByte((byte)value);
            return;
        }

        block.WriteByte(127);
        value -= 127;
        while (value >= 128)
        {
            block.WriteByte((byte)(value % 128 + 128));
            value /= 128;
        }

        block.WriteByte((byte)value);
    }
}
