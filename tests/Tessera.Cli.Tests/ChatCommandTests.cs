using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.User.V1;
using Tessera.Testing;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.Cli.Tests;

public sealed class ChatCommandTests
{
    [Fact]
    public async Task Chat_joins_says_each_line_leaves_at_end_of_input_and_prints_what_the_room_says()
    {
        using var cli = new CliHarness { Input = new StringReader("hello\n\nbye\n") };
        var duplex = new FakeDuplexStream<ChatMessage, ChatMessage>();
        var sequence = 0;
        // The fake room echoes every message (as the server fills sender and time) and ends when the client does.
        duplex.Writer.OnChange = writer =>
        {
            if (writer.Completed)
            {
                duplex.Reader.End();
                return;
            }

            var echo = writer.Written[^1].Clone();
            echo.Sender = "ada";
            echo.Sequence = ++sequence;
            echo.SentAt = Timestamp.FromDateTime(new DateTime(2025, 1, 1, 12, 0, sequence, DateTimeKind.Utc));
            duplex.Reader.Push(echo);
        };
        cli.Invoker.OnDuplexStreaming = _ => duplex;

        var code = await cli.RunAsync("chat", "lobby", "--name", "ada");

        Assert.Equal(ExitCodes.Ok, code);
        Assert.Equal(
            [(Kind.Join, "ada", ""), (Kind.Text, "", "hello"), (Kind.Text, "", "bye"), (Kind.Leave, "", "")],
            duplex.Writer.Written.Select(m => (m.Kind, m.Sender, m.Text)));
        Assert.All(duplex.Writer.Written, m => Assert.Equal("lobby", m.Room));
        Assert.True(duplex.Writer.Completed);
        Assert.Equal(
            ["* ada joined lobby", "ada: hello", "ada: bye", "* ada left lobby"],
            cli.OutLines().Select(line => line[11..]));
        Assert.Null(cli.Invoker.LastCall.Options.Deadline);
    }

    [Fact]
    public async Task Signed_in_the_name_defaults_to_the_username_and_another_name_is_refused()
    {
        using var cli = new CliHarness();
        cli.Invoker.OnUnary = (_, _) => new Tessera.Contracts.Auth.V1.LoginResponse { Tokens = new() { AccessToken = "a", RefreshToken = "r", UserId = 7 } };
        await cli.RunAsync("login", "-u", "ada", "--password", "pw");
        var duplex = new FakeDuplexStream<ChatMessage, ChatMessage>();
        duplex.Writer.OnChange = writer =>
        {
            if (writer.Completed)
            {
                duplex.Reader.End();
            }
        };
        cli.Invoker.OnDuplexStreaming = _ => duplex;

        Assert.Equal(ExitCodes.Failed, await cli.RunAsync("chat", "lobby", "--name", "alice"));
        Assert.Contains("signed in as ada", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(duplex.Writer.Written);

        Assert.Equal(ExitCodes.Ok, await cli.RunAsync("chat", "lobby"));
        Assert.Equal("ada", duplex.Writer.Written[0].Sender);
    }

    [Fact]
    public async Task With_a_token_the_name_is_the_one_in_the_token()
    {
        using var cli = new CliHarness();
        var payload = Convert.ToBase64String("""{"name":"grace","role":"admin"}"""u8.ToArray()).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        Assert.Equal(ExitCodes.Failed, await cli.RunAsync("--token", $"eyJhbGciOiJIUzI1NiJ9.{payload}.sig", "chat", "lobby", "--name", "alice"));

        Assert.Contains("signed in as grace", cli.Error.ToString(), StringComparison.Ordinal);
        Assert.Empty(cli.Invoker.Calls);
    }
}
