using System.Globalization;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Output;

/// <summary>Chat messages as lines: <c>[HH:mm:ss] sender: text</c>, joins and leaves marked with <c>*</c>.</summary>
internal static class ChatView
{
    public static string Line(ChatMessage message, TimeZoneInfo zone)
    {
        var sentAt = message.SentAt is null
            ? DateTimeOffset.UtcNow
            : message.SentAt.ToDateTimeOffset();
        var time = TimeZoneInfo.ConvertTime(sentAt, zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);
        return message.Kind switch
        {
            ChatMessage.Types.Kind.Join => $"[{time}] * {message.Sender} joined {message.Room}",
            ChatMessage.Types.Kind.Leave => $"[{time}] * {message.Sender} left {message.Room}",
            _ => $"[{time}] {message.Sender}: {message.Text}",
        };
    }
}
