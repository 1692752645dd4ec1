namespace Tessera.Users.Chat;

/// <summary>A chat event too large for the bus to carry (a PostgreSQL notification holds less than 8000 bytes).</summary>
public sealed class ChatTextTooLongException(int bytes, int maximum)
    : Exception($"is {bytes} bytes as sent between replicas; at most {maximum} fit (UTF-8 of the text, sender and room): send a shorter text")
{
    public int Bytes { get; } = bytes;

    public int Maximum { get; } = maximum;
}
