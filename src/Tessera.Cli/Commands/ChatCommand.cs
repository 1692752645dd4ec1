using System.CommandLine;
using Tessera.Cli.Config;
using Tessera.Cli.Output;
using Tessera.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera chat ROOM</c>: join a room, say each line of standard input, leave at end of input.</summary>
internal static class ChatCommand
{
    /// <summary>How long to wait, after leaving, for the server to end the stream.</summary>
    private static readonly TimeSpan Goodbye = TimeSpan.FromSeconds(5);

    public static Command Create(GlobalOptions globals)
    {
        var room = new Argument<string>("room") { Description = "The room to join" };
        var name = new Option<string?>("--name")
        {
            Description = "Your name in the room when not signed in (default: your OS user name); signed in, the server uses your username",
        };
        var command = new Command("chat", "Join a chat room: each line you type is sent; end input (Ctrl+D) to leave") { room, name };
        command.SetSessionAction(globals, (session, parse, cancellationToken) =>
            RunAsync(session, globals.Input, parse.GetRequiredValue(room), SenderName(session, parse.GetValue(name)), cancellationToken));
        return command;
    }

    /// <summary>
    /// The name to join with. Signed in, the server shows the token's username whatever is sent, so that is the
    /// default and another <c>--name</c> is refused rather than silently ignored.
    /// </summary>
    internal static string SenderName(CliSession session, string? requested)
    {
        var signedInAs = AccessTokenName.Of(session.Client.AccessToken) ?? (session.UsesSavedSignIn ? session.Saved.Username : null);
        if (signedInAs is null)
        {
            return requested ?? Environment.UserName;
        }

        return requested is null || string.Equals(requested, signedInAs, StringComparison.OrdinalIgnoreCase)
            ? signedInAs
            : throw new CliException($"signed in as {signedInAs}, you chat as {signedInAs}: the server names senders by their sign-in, not --name '{requested}'. Drop --name, or sign in as {requested}");
    }

    internal static async Task<int> RunAsync(CliSession session, TextReader input, string room, string name, CancellationToken cancellationToken)
    {
        using var chat = session.Client.OpenChat(cancellationToken: cancellationToken);
        await chat.SendAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Join, Room = room, Sender = name }, cancellationToken).ConfigureAwait(false);
        var printing = PrintAsync(chat, session, cancellationToken);

        while (true)
        {
            var reading = Task.Run(input.ReadLine, CancellationToken.None);
            if (await Task.WhenAny(reading, printing).WaitAsync(cancellationToken).ConfigureAwait(false) == printing)
            {
                await printing.ConfigureAwait(false); // the server ended the chat (or failed: that throws)
                await session.Error.WriteLineAsync("the server ended the chat").ConfigureAwait(false);
                return ExitCodes.Ok;
            }

            var line = await reading.ConfigureAwait(false);
            if (line is null)
            {
                break;
            }

            if (line.Length > 0)
            {
                await chat.SendAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Text, Room = room, Text = line }, cancellationToken).ConfigureAwait(false);
            }
        }

        await chat.SendAsync(new ChatMessage { Kind = ChatMessage.Types.Kind.Leave, Room = room }, cancellationToken).ConfigureAwait(false);
        await chat.CompleteAsync().ConfigureAwait(false);
        try
        {
            await printing.WaitAsync(Goodbye, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The server kept its side open; disposing the call ends it.
        }

        return ExitCodes.Ok;
    }

    private static async Task PrintAsync(TesseraDuplexStream<ChatMessage, ChatMessage> chat, CliSession session, CancellationToken cancellationToken)
    {
        await foreach (var message in chat.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await session.Out.WriteLineAsync(session.Format == OutputFormat.Json
                ? ProtoJson.Format(message)
                : ChatView.Line(message, TimeZoneInfo.Local)).ConfigureAwait(false);
        }
    }
}
