using System.Text;

namespace Tessera.Fuzz.Network;

/// <summary>Byte and text mutations drawn from one seeded random source, so a run can be replayed from its seed.</summary>
internal sealed class Mutator(Random random)
{
    /// <summary>Values that break parsers: invalid UTF-8, JSON oddities, huge numbers, separators.</summary>
    private static readonly byte[][] Tokens =
    [
        [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0xFF], [0x00],
        .. new[] { "{", "}", "[", "]", "\"", "\\", "\\u", "\\uD800", ":", ",", "null", "true", "-0", "1e999", "18446744073709551616", "*", "%", "AND", "OR", "NOT", "(", ")" }
            .Select(Encoding.UTF8.GetBytes),
    ];

    public Random Random => random;

    public int Next(int maxExclusive) => random.Next(maxExclusive);

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    /// <summary>One to four mutations of <paramref name="input"/>: flipped bits, cut, inserted tokens, deleted or repeated runs.</summary>
    public byte[] Mutate(byte[] input)
    {
        var bytes = new List<byte>(input);
        var rounds = 1 + random.Next(4);
        for (var i = 0; i < rounds; i++)
        {
            var at = bytes.Count == 0 ? 0 : random.Next(bytes.Count);
            switch (random.Next(6))
            {
                case 0 when bytes.Count > 0:
                    bytes[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1 when bytes.Count > 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 2:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 3:
                    bytes.InsertRange(at, Pick(Tokens));
                    break;
                case 4 when bytes.Count > 0:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                default:
                    var run = bytes.Skip(at).Take(1 + random.Next(16)).ToArray();
                    for (var r = random.Next(1, 64); r > 0; r--)
                    {
                        bytes.InsertRange(at, run);
                    }

                    break;
            }
        }

        return [.. bytes];
    }

    public string Mutate(string text) => Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(text)));

    public byte[] RandomBytes(int maxLength)
    {
        var bytes = new byte[random.Next(maxLength + 1)];
        random.NextBytes(bytes);
        return bytes;
    }
}
