using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;

namespace Tessera.Users.Chat;

/// <summary>
/// The chat rooms of this server. A room numbers its messages and hands each one to every member under one
/// lock, so all members see the same order; joins and leaves are messages too.
/// </summary>
public sealed class ChatRooms(TimeProvider clock)
{
    public const int MemberQueueCapacity = 256;

    private readonly Dictionary<string, Room> rooms = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public ChatMember Connect(string name) => new(name, MemberQueueCapacity);

    public void Join(ChatMember member, string room)
    {
        lock (gate)
        {
            if (!member.Rooms.Add(room))
            {
                return;
            }

            if (!rooms.TryGetValue(room, out var state))
            {
                rooms[room] = state = new Room();
            }

            state.Members.Add(member);
            Broadcast(room, state, ChatMessage.Types.Kind.Join, member.Name, $"{member.Name} joined");
        }
    }

    public bool Say(ChatMember member, string room, string text)
    {
        lock (gate)
        {
            if (!member.Rooms.Contains(room) || !rooms.TryGetValue(room, out var state))
            {
                return false;
            }

            Broadcast(room, state, ChatMessage.Types.Kind.Text, member.Name, text);
            return true;
        }
    }

    public void Leave(ChatMember member, string room)
    {
        lock (gate)
        {
            LeaveLocked(member, room);
        }
    }

    public void Disconnect(ChatMember member)
    {
        lock (gate)
        {
            foreach (var room in member.Rooms.ToArray())
            {
                LeaveLocked(member, room);
            }
        }

        member.Complete();
    }

    /// <summary>How many members a room has now (0 for an unknown room).</summary>
    public int CountMembers(string room)
    {
        lock (gate)
        {
            return rooms.TryGetValue(room, out var state) ? state.Members.Count : 0;
        }
    }

    private void LeaveLocked(ChatMember member, string room)
    {
        if (!member.Rooms.Remove(room) || !rooms.TryGetValue(room, out var state))
        {
            return;
        }

        state.Members.Remove(member);
        if (state.Members.Count == 0)
        {
            rooms.Remove(room);
            return;
        }

        Broadcast(room, state, ChatMessage.Types.Kind.Leave, member.Name, $"{member.Name} left");
    }

    private void Broadcast(string room, Room state, ChatMessage.Types.Kind kind, string sender, string text)
    {
        var message = new ChatMessage
        {
            Kind = kind,
            Room = room,
            Sender = sender,
            Text = text,
            SentAt = Timestamp.FromDateTimeOffset(clock.GetUtcNow()),
            Sequence = ++state.Sequence,
        };

        List<ChatMember>? overflowed = null;
        foreach (var member in state.Members)
        {
            if (!member.Offer(message, room))
            {
                (overflowed ??= []).Add(member);
            }
        }

        foreach (var member in overflowed ?? [])
        {
            foreach (var joined in member.Rooms.ToArray())
            {
                LeaveLocked(member, joined);
            }
        }
    }

    private sealed class Room
    {
        public HashSet<ChatMember> Members { get; } = [];

        public long Sequence { get; set; }
    }
}
