using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Contracts.User.V1;
using Tessera.Server.Observability;
using Tessera.Users.Chat;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.IntegrationTests;

public sealed class UserChatTests(TesseraServer server) : ServerTests(server)
{
    private static ChatMessage Join(string room, string name) => new() { Kind = Kind.Join, Room = room, Sender = name };

    private static ChatMessage Text(string room, string text) => new() { Kind = Kind.Text, Room = room, Text = text };

    /// <summary>Reads until a message of <paramref name="kind"/> from <paramref name="sender"/> arrives.</summary>
    private static async Task<ChatMessage> NextFromAsync(IAsyncStreamReader<ChatMessage> stream, Kind kind, string sender)
    {
        while (true)
        {
            var message = await stream.NextAsync();
            if (message.Kind == kind && message.Sender == sender)
            {
                return message;
            }
        }
    }

    [Fact]
    public async Task Every_member_gets_the_rooms_messages_in_order_with_sender_and_time()
    {
        var room = Unique("room");
        using var alice = Users.UserChat();
        using var bob = Users.UserChat();
        await alice.RequestStream.WriteAsync(Join(room, "alice"));
        await NextFromAsync(alice.ResponseStream, Kind.Join, "alice");
        await bob.RequestStream.WriteAsync(Join(room, "bob"));
        var bobJoined = await NextFromAsync(alice.ResponseStream, Kind.Join, "bob");
        await NextFromAsync(bob.ResponseStream, Kind.Join, "bob");

        for (var i = 0; i < 20; i++)
        {
            await (i % 2 == 0 ? alice : bob).RequestStream.WriteAsync(Text(room, $"message {i}"));
        }

        foreach (var member in new[] { alice, bob })
        {
            var received = new List<ChatMessage>();
            while (received.Count < 20)
            {
                var message = await member.ResponseStream.NextAsync();
                if (message.Kind == Kind.Text)
                {
                    received.Add(message);
                }
            }

            Assert.Equal(Enumerable.Range(0, 20).Select(i => $"message {i}").Order(), received.Select(m => m.Text).Order());
            Assert.Equal(received.Select(m => m.Sequence).Order(), received.Select(m => m.Sequence));
            Assert.All(received, m => Assert.True(m.Sequence > bobJoined.Sequence));
            Assert.All(received, m => Assert.Contains(m.Sender, new[] { "alice", "bob" }));
            Assert.All(received, m => Assert.True(m.SentAt.ToDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-1)));
        }

        await bob.RequestStream.CompleteAsync();
        var left = await NextFromAsync(alice.ResponseStream, Kind.Leave, "bob");
        Assert.Equal(room, left.Room);
    }

    [Fact]
    public async Task Each_senders_messages_arrive_in_the_order_sent()
    {
        var room = Unique("order");
        using var alice = Users.UserChat();
        using var bob = Users.UserChat();
        await alice.RequestStream.WriteAsync(Join(room, "alice"));
        await NextFromAsync(alice.ResponseStream, Kind.Join, "alice");
        await bob.RequestStream.WriteAsync(Join(room, "bob"));
        await NextFromAsync(bob.ResponseStream, Kind.Join, "bob");

        for (var i = 0; i < 50; i++)
        {
            await alice.RequestStream.WriteAsync(Text(room, i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var texts = new List<string>();
        while (texts.Count < 50)
        {
            var message = await bob.ResponseStream.NextAsync();
            if (message.Kind == Kind.Text)
            {
                texts.Add(message.Text);
            }
        }

        Assert.Equal(Enumerable.Range(0, 50).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)), texts);
    }

    [Fact]
    public async Task A_stuck_reader_is_dropped_with_RESOURCE_EXHAUSTED_and_the_room_goes_on()
    {
        var room = Unique("slow");
        using var stuck = Users.UserChat();
        using var talker = Users.UserChat();
        await DropStuckMemberAsync(room, stuck, talker);

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var e = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            while (await stuck.ResponseStream.MoveNext(deadline.Token))
            {
            }
        });
        Assert.Equal(StatusCode.ResourceExhausted, e.StatusCode);

        await talker.RequestStream.WriteAsync(Text(room, "still here"));
        var inbox = new Inbox<ChatMessage>(talker.ResponseStream);
        Assert.Equal("talker", (await inbox.WaitForAsync(m => m.Text == "still here")).Sender);
    }

    [Fact]
    public async Task A_dropped_member_that_never_reads_again_has_its_call_ended_rather_than_held_open()
    {
        var inFlight = Server.Services.GetRequiredService<GrpcMetrics>().For("/user.v1.UserService/UserChat").InFlight;
        var room = Unique("gone");
        using var stuck = Users.UserChat();
        using var talker = Users.UserChat();
        await DropStuckMemberAsync(room, stuck, talker);

        // Its status waits behind the messages it does not read; the server resets the call instead of keeping it
        // (until then it was held until the connection's keepalive gave up, about 43 s). Only the talker's is left.
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (inFlight.Value > 1 && waited.Elapsed < TimeSpan.FromSeconds(20))
        {
            await Task.Delay(100);
        }

        Assert.Equal(1, inFlight.Value);
        await talker.RequestStream.WriteAsync(Text(room, "still here"));
        var inbox = new Inbox<ChatMessage>(talker.ResponseStream);
        Assert.Equal("talker", (await inbox.WaitForAsync(m => m.Text == "still here")).Sender);
    }

    /// <summary>
    /// Both join <paramref name="room"/>; then <paramref name="stuck"/> never reads again while the talker sends (and
    /// reads) until the room announces that the stuck member left: dropped, after more than a queue behind.
    /// </summary>
    private static async Task DropStuckMemberAsync(string room, AsyncDuplexStreamingCall<ChatMessage, ChatMessage> stuck, AsyncDuplexStreamingCall<ChatMessage, ChatMessage> talker)
    {
        await stuck.RequestStream.WriteAsync(Join(room, "stuck"));
        await NextFromAsync(stuck.ResponseStream, Kind.Join, "stuck");
        await talker.RequestStream.WriteAsync(Join(room, "talker"));
        await NextFromAsync(talker.ResponseStream, Kind.Join, "talker");

        var sent = 0;
        var stuckLeft = false;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!stuckLeft)
        {
            var payload = new string('x', 2048);
            await talker.RequestStream.WriteAsync(Text(room, $"{sent++} {payload}"), deadline.Token);
            while (true)
            {
                var message = await talker.ResponseStream.NextAsync();
                if (message.Kind == Kind.Leave && message.Sender == "stuck")
                {
                    stuckLeft = true;
                    break;
                }

                if (message.Kind == Kind.Text)
                {
                    break;
                }
            }
        }

        Assert.True(sent > ChatRooms.MemberQueueCapacity, $"dropped after only {sent} messages");
    }

    [Fact]
    public async Task Sending_to_a_room_not_joined_is_FAILED_PRECONDITION()
    {
        using var chat = Users.UserChat();
        await chat.RequestStream.WriteAsync(Text(Unique("nojoin"), "hello"));

        await Assertions.FailsWith(StatusCode.FailedPrecondition, () => chat.ResponseStream.MoveNext(CancellationToken.None));
    }
}
