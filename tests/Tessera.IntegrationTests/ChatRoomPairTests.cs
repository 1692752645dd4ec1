using Grpc.Core;
using Tessera.Contracts.User.V1;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.IntegrationTests;

/// <summary>The browser's chat (SubscribeChatRoom + PostChatMessage) in the same rooms as UserChat's duplex members.</summary>
public sealed class ChatRoomPairTests(TesseraServer server) : ServerTests(server)
{
    [Fact]
    public async Task A_subscriber_and_a_duplex_member_hear_each_other_in_one_order()
    {
        var room = Unique("pair");
        using var subscriber = Users.SubscribeChatRoom(new SubscribeChatRoomRequest { Room = room, Sender = "browser" });
        var heard = new Inbox<ChatMessage>(subscriber.ResponseStream);
        await heard.WaitForAsync(m => m.Kind == Kind.Join && m.Sender == "browser");

        using var duplex = Users.UserChat();
        await duplex.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Join, Room = room, Sender = "terminal" });
        var duplexHeard = new Inbox<ChatMessage>(duplex.ResponseStream);
        await duplexHeard.WaitForAsync(m => m.Kind == Kind.Join && m.Sender == "terminal");

        var posted = await Users.PostChatMessageAsync(new PostChatMessageRequest { Room = room, Text = "from the browser", Sender = "browser" });
        Assert.Equal(Kind.Text, posted.Message.Kind);
        Assert.Equal("browser", posted.Message.Sender);
        await duplex.RequestStream.WriteAsync(new ChatMessage { Kind = Kind.Text, Room = room, Text = "from the terminal" });

        var atBrowser = new[]
        {
            await heard.WaitForAsync(m => m.Text == "from the browser"),
            await heard.WaitForAsync(m => m.Text == "from the terminal"),
        };
        var atTerminal = new[]
        {
            await duplexHeard.WaitForAsync(m => m.Text == "from the browser"),
            await duplexHeard.WaitForAsync(m => m.Text == "from the terminal"),
        };
        Assert.Equal(atBrowser.Select(m => m.Sequence), atTerminal.Select(m => m.Sequence));
        Assert.True(atBrowser[0].Sequence < atBrowser[1].Sequence);
        Assert.Equal("terminal", atBrowser[1].Sender);
    }

    [Fact]
    public async Task Ending_the_subscription_leaves_the_room()
    {
        var room = Unique("leave");
        using var stays = Users.SubscribeChatRoom(new SubscribeChatRoomRequest { Room = room, Sender = "stays" });
        var heard = new Inbox<ChatMessage>(stays.ResponseStream);
        await heard.WaitForAsync(m => m.Kind == Kind.Join && m.Sender == "stays");

        var goes = Users.SubscribeChatRoom(new SubscribeChatRoomRequest { Room = room, Sender = "goes" });
        await heard.WaitForAsync(m => m.Kind == Kind.Join && m.Sender == "goes");
        goes.Dispose();

        var left = await heard.WaitForAsync(m => m.Kind == Kind.Leave && m.Sender == "goes");
        Assert.Equal(room, left.Room);
    }

    [Theory]
    [InlineData("", "hi", "room")]
    [InlineData("$operators", "hi", "room")]
    [InlineData("ok-room", "", "text")]
    public async Task A_bad_post_is_INVALID_ARGUMENT_naming_the_field(string room, string text, string field)
    {
        var e = await Assert.ThrowsAsync<RpcException>(() => Users.PostChatMessageAsync(new PostChatMessageRequest { Room = room, Text = text }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
        Assert.Contains(field, e.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscribing_to_a_reserved_room_is_INVALID_ARGUMENT()
    {
        using var call = Users.SubscribeChatRoom(new SubscribeChatRoomRequest { Room = "$operators" });
        var e = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        Assert.Equal(StatusCode.InvalidArgument, e.StatusCode);
    }
}
