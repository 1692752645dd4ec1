using System.Threading.Channels;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>
/// One connected chat stream. Rooms put messages into its bounded queue without waiting; a member whose
/// queue is full is dropped (<see cref="Overflowed"/>), so one slow reader never stalls a room. A member is also
/// dropped when its replica lost the chat bus (<see cref="BusLost"/>): it might miss messages, so its call ends.
/// </summary>
public sealed class ChatMember(string name, int queueCapacity)
{
    private readonly Channel<ChatMessage> queue = Channel.CreateBounded<ChatMessage>(
        new BoundedChannelOptions(queueCapacity) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    private readonly CancellationTokenSource dropped = new();
    private bool stopped;

    public string Name { get; } = name;

    public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

    /// <summary>Set when the member fell a whole queue behind in this room.</summary>
    public string? OverflowedRoom { get; private set; }

    public bool Overflowed => OverflowedRoom is not null;

    /// <summary>Set when this replica stopped receiving the chat bus while the member was connected.</summary>
    public bool BusLost { get; private set; }

    /// <summary>True once nothing more should be written to this member (dropped, or its call is failing).</summary>
    public bool Stopped => Volatile.Read(ref stopped);

    /// <summary>Cancelled when the member is dropped, for falling behind or because the bus was lost.</summary>
    public CancellationToken Dropped => dropped.Token;

    public ChannelReader<ChatMessage> Outgoing => queue.Reader;

    /// <summary>Queues a message without waiting; false (and the member dropped) when the queue is full.</summary>
    internal bool Offer(ChatMessage message, string room)
    {
        if (queue.Writer.TryWrite(message))
        {
            return true;
        }

        OverflowedRoom ??= room;
        Stop();
        dropped.Cancel();
        return false;
    }

    /// <summary>Drops the member because messages may have been lost on the way to its replica.</summary>
    internal void LoseBus()
    {
        BusLost = true;
        Stop();
        dropped.Cancel();
    }

    internal void Complete() => queue.Writer.TryComplete();

    /// <summary>Discards what is still queued: the writer stops after the message it is sending now.</summary>
    public void Stop()
    {
        Volatile.Write(ref stopped, true);
        queue.Writer.TryComplete();
    }
}
