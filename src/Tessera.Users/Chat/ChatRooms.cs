using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>
/// The chat rooms of this server: its own members of each room. What members do is published on the
/// <see cref="IChatBus"/>; what the bus delivers (from this replica or another) is handed to every local member of
/// the room under one lock, in the bus's order, so every member on every replica sees the same order. Joins and
/// leaves are messages too. Events are numbered per room by the bus when it spans replicas, else here.
/// </summary>
public sealed partial class ChatRooms : IChatReceiver
{
    public const int MemberQueueCapacity = 256;

    private readonly Dictionary<string, Room> rooms = new(StringComparer.Ordinal);
    private readonly Lock gate = new();
    private readonly IChatBus bus;
    private readonly TimeProvider clock;
    private readonly ILogger<ChatRooms> logger;

    public ChatRooms(IChatBus bus, TimeProvider clock, ILogger<ChatRooms> logger)
    {
        this.bus = bus;
        this.clock = clock;
        this.logger = logger;
        bus.Subscribe(this);
    }

    public ChatMember Connect(string name) => new(name, MemberQueueCapacity);

    /// <summary>
    /// Joins <paramref name="room"/> and announces it. Refused (<see cref="ChatBusUnavailableException"/>) while the
    /// bus is not connected, since the member would miss what others say.
    /// </summary>
    public async Task JoinAsync(ChatMember member, string room, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (member.Stopped || !member.Rooms.Add(room))
            {
                return;
            }

            if (!bus.Connected)
            {
                member.Rooms.Remove(room);
                throw new ChatBusUnavailableException();
            }

            if (!rooms.TryGetValue(room, out var state))
            {
                rooms[room] = state = new Room();
            }

            state.Members.Add(member);
        }

        try
        {
            await bus.PublishAsync(Event(ChatMessage.Types.Kind.Join, room, member.Name, $"{member.Name} joined"), cancellationToken);
        }
        catch
        {
            lock (gate)
            {
                Remove(member, room);
            }

            throw;
        }
    }

    /// <summary>Says <paramref name="text"/> in a room the member is in; false (nothing sent) when it is not in it.</summary>
    public async Task<bool> SayAsync(ChatMember member, string room, string text, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!member.Rooms.Contains(room) || !rooms.ContainsKey(room))
            {
                return false;
            }
        }

        await bus.PublishAsync(Event(ChatMessage.Types.Kind.Text, room, member.Name, text), cancellationToken);
        return true;
    }

    /// <summary>
    /// Says <paramref name="text"/> in <paramref name="room"/> as <paramref name="sender"/> without being a member (the
    /// browser's PostChatMessage); refused while the bus is not connected. Returns the message as published.
    /// </summary>
    public async Task<ChatMessage> PostAsync(string sender, string room, string text, CancellationToken cancellationToken)
    {
        if (!bus.Connected)
        {
            throw new ChatBusUnavailableException();
        }

        var message = Event(ChatMessage.Types.Kind.Text, room, sender, text);
        await bus.PublishAsync(message.Clone(), cancellationToken);
        return message;
    }

    public async Task LeaveAsync(ChatMember member, string room, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            if (!Remove(member, room))
            {
                return;
            }
        }

        await bus.PublishAsync(Event(ChatMessage.Types.Kind.Leave, room, member.Name, $"{member.Name} left"), cancellationToken);
    }

    /// <summary>Leaves every room the member is still in (announcing it) and ends its queue once drained.</summary>
    public async Task DisconnectAsync(ChatMember member, CancellationToken cancellationToken)
    {
        string[] left;
        lock (gate)
        {
            left = [.. member.Rooms];
            foreach (var room in left)
            {
                Remove(member, room);
            }
        }

        member.Complete();
        foreach (var room in left)
        {
            await bus.PublishAsync(Event(ChatMessage.Types.Kind.Leave, room, member.Name, $"{member.Name} left"), cancellationToken);
        }
    }

    /// <summary>How many members a room has on this server now (0 for an unknown room).</summary>
    public int CountMembers(string room)
    {
        lock (gate)
        {
            return rooms.TryGetValue(room, out var state) ? state.Members.Count : 0;
        }
    }

    /// <summary>
    /// Hands a bus event to this server's members of its room. A member whose queue is full is dropped from every room
    /// and its leaves are published after the lock is released (at once on the in-process bus, so the room hears of it
    /// before anything said after).
    /// </summary>
    public void Deliver(ChatMessage message)
    {
        List<(ChatMember Member, string[] Rooms)>? overflowed = null;
        lock (gate)
        {
            if (!rooms.TryGetValue(message.Room, out var state))
            {
                return;
            }

            if (message.Sequence == 0)
            {
                message.Sequence = ++state.Sequence;
            }

            foreach (var member in state.Members)
            {
                if (!member.Offer(message, message.Room))
                {
                    (overflowed ??= []).Add((member, []));
                }
            }

            for (var i = 0; i < (overflowed?.Count ?? 0); i++)
            {
                var member = overflowed![i].Member;
                string[] left = [.. member.Rooms];
                foreach (var room in left)
                {
                    Remove(member, room);
                }

                overflowed[i] = (member, left);
            }
        }

        foreach (var (member, left) in overflowed ?? [])
        {
            foreach (var room in left)
            {
                _ = AnnounceLeaveAsync(member.Name, room);
            }
        }
    }

    /// <summary>
    /// The bus stopped receiving: every member here might miss messages from now on, so each is dropped (its call
    /// ends UNAVAILABLE and the client joins again, through this replica once it has reconnected, or another). It
    /// keeps its rooms, so that its call's end still announces its leaving where the bus can.
    /// </summary>
    public void Lost()
    {
        lock (gate)
        {
            foreach (var member in rooms.Values.SelectMany(state => state.Members).Distinct().ToList())
            {
                member.LoseBus();
            }

            rooms.Clear();
        }

        LogBusLost(logger);
    }

    private async Task AnnounceLeaveAsync(string name, string room)
    {
        try
        {
            await bus.PublishAsync(Event(ChatMessage.Types.Kind.Leave, room, name, $"{name} left"), CancellationToken.None);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or ChatTextTooLongException or TimeoutException)
        {
            LogLeaveNotAnnounced(logger, e, name, room);
        }
    }

    /// <summary>Takes a member out of a room here (under the lock); a room left empty here is forgotten with its numbering.</summary>
    private bool Remove(ChatMember member, string room)
    {
        if (!member.Rooms.Remove(room) || !rooms.TryGetValue(room, out var state))
        {
            return false;
        }

        state.Members.Remove(member);
        if (state.Members.Count == 0)
        {
            rooms.Remove(room);
        }

        return true;
    }

    private ChatMessage Event(ChatMessage.Types.Kind kind, string room, string sender, string text) => new()
    {
        Kind = kind,
        Room = room,
        Sender = sender,
        Text = text,
        SentAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat bus lost: every chat member on this server was dropped and must join again")]
    private static partial void LogBusLost(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not announce that {Member} left chat room {Room}")]
    private static partial void LogLeaveNotAnnounced(ILogger logger, Exception exception, string member, string room);

    private sealed class Room
    {
        public HashSet<ChatMember> Members { get; } = [];

        public long Sequence { get; set; }
    }
}
