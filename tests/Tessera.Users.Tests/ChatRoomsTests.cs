using Google.Protobuf.WellKnownTypes;
using Microsoft.Extensions.Logging.Abstractions;
using Tessera.Contracts.User.V1;
using Tessera.Users.Chat;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.Users.Tests;

public sealed class ChatRoomsTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    private readonly ManualClock clock = new(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly ChatRooms rooms;

    public ChatRoomsTests() => rooms = new ChatRooms(new InProcessChatBus(), clock, NullLogger<ChatRooms>.Instance);

    [Fact]
    public async Task Joins_are_announced_to_the_members_already_there()
    {
        var alice = rooms.Connect("alice");
        var bob = rooms.Connect("bob");

        await rooms.JoinAsync(alice, "lobby", default);
        await rooms.JoinAsync(bob, "lobby", default);

        var seenByAlice = Drain(alice);
        Assert.Equal([(Kind.Join, "alice", 1L), (Kind.Join, "bob", 2L)], seenByAlice.Select(m => (m.Kind, m.Sender, m.Sequence)));
        Assert.Equal("bob joined", seenByAlice[1].Text);
        Assert.All(seenByAlice, m => Assert.Equal("lobby", m.Room));
        Assert.Equal([(Kind.Join, "bob", 2L)], Drain(bob).Select(m => (m.Kind, m.Sender, m.Sequence)));
        Assert.Equal(2, rooms.CountMembers("lobby"));
    }

    [Fact]
    public async Task Joining_twice_changes_nothing()
    {
        var alice = rooms.Connect("alice");
        await rooms.JoinAsync(alice, "lobby", default);
        await rooms.JoinAsync(alice, "lobby", default);

        Assert.Single(Drain(alice));
        Assert.Equal(1, rooms.CountMembers("lobby"));
    }

    [Fact]
    public async Task A_message_reaches_every_member_with_sender_time_and_sequence()
    {
        var alice = rooms.Connect("alice");
        var bob = rooms.Connect("bob");
        await rooms.JoinAsync(alice, "lobby", default);
        await rooms.JoinAsync(bob, "lobby", default);
        Drain(alice);
        Drain(bob);
        clock.Advance(TimeSpan.FromSeconds(30));

        Assert.True(await rooms.SayAsync(alice, "lobby", "hello", default));

        foreach (var member in new[] { alice, bob })
        {
            var message = Assert.Single(Drain(member));
            Assert.Equal(Kind.Text, message.Kind);
            Assert.Equal("alice", message.Sender);
            Assert.Equal("hello", message.Text);
            Assert.Equal("lobby", message.Room);
            Assert.Equal(3, message.Sequence);
            Assert.Equal(Timestamp.FromDateTimeOffset(clock.GetUtcNow()), message.SentAt);
        }
    }

    [Fact]
    public async Task Concurrent_speakers_are_seen_in_one_order_by_everyone()
    {
        var members = Enumerable.Range(0, 4).Select(i => rooms.Connect($"m{i}")).ToArray();
        foreach (var member in members)
        {
            await rooms.JoinAsync(member, "lobby", default);
        }

        await Task.WhenAll(members.Select(member => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                Assert.True(await rooms.SayAsync(member, "lobby", $"{member.Name}:{i}", default));
            }
        }))).WaitAsync(Deadline);

        var seen = members.Select(m => Drain(m).Where(x => x.Kind == Kind.Text).ToList()).ToArray();
        Assert.Equal(200, seen[0].Count);
        foreach (var other in seen.Skip(1))
        {
            Assert.Equal(seen[0].Select(m => (m.Sequence, m.Sender, m.Text)), other.Select(m => (m.Sequence, m.Sender, m.Text)));
        }

        var sequences = seen[0].Select(m => m.Sequence).ToList();
        Assert.Equal(Enumerable.Range((int)sequences[0], 200).Select(s => (long)s), sequences);
        foreach (var member in members)
        {
            var own = seen[0].Where(m => m.Sender == member.Name).Select(m => m.Text);
            Assert.Equal(Enumerable.Range(0, 50).Select(i => $"{member.Name}:{i}"), own);
        }
    }

    [Fact]
    public async Task Saying_something_in_a_room_one_has_not_joined_fails_and_reaches_nobody()
    {
        var alice = rooms.Connect("alice");
        var bob = rooms.Connect("bob");
        await rooms.JoinAsync(alice, "lobby", default);
        Drain(alice);

        Assert.False(await rooms.SayAsync(bob, "lobby", "let me in", default));
        Assert.False(await rooms.SayAsync(bob, "nowhere", "hello?", default));

        Assert.Empty(Drain(alice));
        Assert.Empty(Drain(bob));
    }

    [Fact]
    public async Task Leaving_is_announced_to_the_others_and_ends_delivery()
    {
        var alice = rooms.Connect("alice");
        var bob = rooms.Connect("bob");
        await rooms.JoinAsync(alice, "lobby", default);
        await rooms.JoinAsync(bob, "lobby", default);
        Drain(alice);
        Drain(bob);

        await rooms.LeaveAsync(bob, "lobby", default);
        await rooms.SayAsync(alice, "lobby", "anyone?", default);

        Assert.Equal([(Kind.Leave, "bob", "bob left"), (Kind.Text, "alice", "anyone?")], Drain(alice).Select(m => (m.Kind, m.Sender, m.Text)));
        Assert.Empty(Drain(bob));
        Assert.Equal(1, rooms.CountMembers("lobby"));
        Assert.False(await rooms.SayAsync(bob, "lobby", "still here?", default));
        Assert.Empty(bob.Rooms);
    }

    [Fact]
    public async Task Rooms_are_separate()
    {
        var alice = rooms.Connect("alice");
        var bob = rooms.Connect("bob");
        var carol = rooms.Connect("carol");
        await rooms.JoinAsync(alice, "a", default);
        await rooms.JoinAsync(bob, "b", default);
        await rooms.JoinAsync(carol, "a", default);
        await rooms.JoinAsync(carol, "b", default);
        Drain(alice);
        Drain(bob);
        Drain(carol);

        await rooms.SayAsync(bob, "b", "in b", default);
        await rooms.SayAsync(alice, "a", "in a", default);

        Assert.Equal(["in a"], Drain(alice).Select(m => m.Text));
        Assert.Equal(["in b"], Drain(bob).Select(m => m.Text));
        Assert.Equal([("b", "in b", 3L), ("a", "in a", 3L)], Drain(carol).Select(m => (m.Room, m.Text, m.Sequence)));
    }

    [Fact]
    public async Task An_empty_room_disappears()
    {
        var alice = rooms.Connect("alice");
        await rooms.JoinAsync(alice, "lobby", default);
        await rooms.SayAsync(alice, "lobby", "one", default);
        await rooms.SayAsync(alice, "lobby", "two", default);
        await rooms.LeaveAsync(alice, "lobby", default);

        Assert.Equal(0, rooms.CountMembers("lobby"));
        Assert.Equal([1L, 2L, 3L], Drain(alice).Select(m => m.Sequence));

        // Whoever comes next starts a new room, numbered from the start (on one server; a bus across replicas numbers
        // each room for as long as the database keeps it).
        var bob = rooms.Connect("bob");
        await rooms.JoinAsync(bob, "lobby", default);
        Assert.Equal(1, Assert.Single(Drain(bob)).Sequence);
    }

    [Fact]
    public async Task Disconnecting_leaves_every_room_and_ends_the_stream()
    {
        var alice = rooms.Connect("alice");
        var bob = rooms.Connect("bob");
        await rooms.JoinAsync(alice, "a", default);
        await rooms.JoinAsync(alice, "b", default);
        await rooms.JoinAsync(bob, "a", default);
        await rooms.JoinAsync(bob, "b", default);
        Drain(bob);

        await rooms.DisconnectAsync(alice, default);

        Assert.Equal([("a", Kind.Leave), ("b", Kind.Leave)], Drain(bob).Select(m => (m.Room, m.Kind)).Order());
        Assert.Equal(1, rooms.CountMembers("a"));
        Assert.Equal(1, rooms.CountMembers("b"));
        Drain(alice);
        await alice.Outgoing.Completion.WaitAsync(Deadline);
        Assert.False(alice.Overflowed);
        Assert.False(alice.Dropped.IsCancellationRequested);
    }

    [Fact]
    public async Task A_member_that_falls_a_whole_queue_behind_is_dropped_and_the_others_get_everything()
    {
        var slow = rooms.Connect("slow");
        var fast = rooms.Connect("fast");
        var talker = rooms.Connect("talker");
        await rooms.JoinAsync(slow, "side", default);
        await rooms.JoinAsync(fast, "side", default);
        await rooms.JoinAsync(slow, "lobby", default);
        await rooms.JoinAsync(fast, "lobby", default);
        await rooms.JoinAsync(talker, "lobby", default);
        var fastSeen = Drain(fast);
        var talkerSeen = Drain(talker);

        // slow has 5 unread messages (its two joins, fast's two, talker's); fill the rest of its queue.
        var toFill = ChatRooms.MemberQueueCapacity - 5;
        for (var i = 0; i < toFill; i++)
        {
            Assert.True(await rooms.SayAsync(talker, "lobby", $"message {i}", default));
            fastSeen.AddRange(Drain(fast));
            talkerSeen.AddRange(Drain(talker));
        }

        Assert.False(slow.Overflowed);
        Assert.False(slow.Dropped.IsCancellationRequested);
        Assert.Equal(3, rooms.CountMembers("lobby"));

        Assert.True(await rooms.SayAsync(talker, "lobby", "one too many", default));
        Assert.True(await rooms.SayAsync(talker, "lobby", "after the drop", default));
        fastSeen.AddRange(Drain(fast));
        talkerSeen.AddRange(Drain(talker));

        Assert.True(slow.Overflowed);
        Assert.Equal("lobby", slow.OverflowedRoom);
        Assert.True(slow.Dropped.IsCancellationRequested);
        Assert.Empty(slow.Rooms);
        Assert.Equal(2, rooms.CountMembers("lobby"));
        Assert.Equal(1, rooms.CountMembers("side"));

        string[] expectedTexts = [.. Enumerable.Range(0, toFill).Select(i => $"message {i}"), "one too many", "slow left", "after the drop"];
        Assert.Equal(expectedTexts, talkerSeen.Where(m => m.Kind != Kind.Join).Select(m => m.Text));
        Assert.Equal(expectedTexts, fastSeen.Where(m => m.Room == "lobby" && m.Kind != Kind.Join).Select(m => m.Text));
        Assert.Equal(talkerSeen.Select(m => m.Sequence), fastSeen.Where(m => m.Room == "lobby" && m.Sequence >= talkerSeen[0].Sequence).Select(m => m.Sequence));
        Assert.Contains(fastSeen, m => m is { Room: "side", Kind: Kind.Leave, Sender: "slow" });

        // slow can still read what was queued before it was dropped, and then its stream ends.
        var slowSeen = Drain(slow);
        Assert.Equal(ChatRooms.MemberQueueCapacity, slowSeen.Count);
        Assert.Equal($"message {toFill - 1}", slowSeen[^1].Text);
        await slow.Outgoing.Completion.WaitAsync(Deadline);
    }

    [Fact]
    public async Task A_dropped_member_rejoining_is_dropped_again_without_harming_the_room()
    {
        var slow = rooms.Connect("slow");
        var talker = rooms.Connect("talker");
        await rooms.JoinAsync(slow, "lobby", default);
        await rooms.JoinAsync(talker, "lobby", default);
        for (var i = 0; i < ChatRooms.MemberQueueCapacity; i++)
        {
            await rooms.SayAsync(talker, "lobby", $"message {i}", default);
            Drain(talker);
        }

        Assert.True(slow.Overflowed);
        await rooms.JoinAsync(slow, "lobby", default);

        Assert.Equal(1, rooms.CountMembers("lobby"));
        Assert.True(await rooms.SayAsync(talker, "lobby", "still fine", default));
        Assert.Equal("still fine", Drain(talker).Last().Text);
    }

    private static List<ChatMessage> Drain(ChatMember member)
    {
        var messages = new List<ChatMessage>();
        while (member.Outgoing.TryRead(out var message))
        {
            messages.Add(message);
        }

        return messages;
    }
}
