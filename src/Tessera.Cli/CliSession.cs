using System.CommandLine;
using Spectre.Console;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>What one command invocation works with: the client, the output format, and where to write.</summary>
internal sealed class CliSession : IDisposable
{
    private CliSession(TesseraClient client, OutputFormat format, TextWriter output, TextWriter error, DateTime? streamDeadline)
    {
        Client = client;
        Format = format;
        Out = output;
        Error = error;
        StreamDeadline = streamDeadline;
        OutIsTerminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Console = ReferenceEquals(output, System.Console.Out)
            ? AnsiConsole.Console
            : AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(output),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            });
    }

    public TesseraClient Client { get; }

    public OutputFormat Format { get; }

    /// <summary>Standard output (or the writer a test passed in).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error (or the writer a test passed in).</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables and progress bars.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when standard output is an interactive terminal (progress bars are drawn only then).</summary>
    public bool OutIsTerminal { get; }

    /// <summary>The deadline for list and import: set only when <c>--timeout</c> was given.</summary>
    public DateTime? StreamDeadline { get; }

    public static CliSession Open(ParseResult parse, GlobalOptions globals)
    {
        var options = globals.ClientOptions(parse);
        DateTime? streamDeadline = parse.GetValue(globals.Timeout) is { } seconds ? DateTime.UtcNow.AddSeconds(seconds) : null;
        TesseraClient client;
        try
        {
            client = globals.ClientFactory(options);
        }
        catch (UriFormatException e)
        {
            throw new CliException($"--address '{options.Address}' is not a valid address: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // TLS settings that cannot work: an unreadable --ca, --cert or --key, or them with an http:// address.
            throw new CliException(e.Message, e);
        }

        var config = parse.InvocationConfiguration;
        return new CliSession(client, parse.GetValue(globals.Output), config.Output, config.Error, streamDeadline);
    }

    public void Dispose() => Client.Dispose();
}
