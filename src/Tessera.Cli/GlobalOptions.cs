using System.CommandLine;
using Tessera.Cli.Config;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>The options every command takes, and the session they describe.</summary>
internal sealed class GlobalOptions
{
    public const string AddressVariable = "TESSERA_ADDRESS";
    public const string TokenVariable = "TESSERA_TOKEN";
    public const string ContextVariable = "TESSERA_CONTEXT";

    public Option<string> Address { get; } = new("--address")
    {
        Description = $"The server's address, a comma-separated list of replicas' addresses, or dns:///host:port (both balanced round-robin) (env {AddressVariable}; else the context's; else {TesseraClientOptions.DefaultAddress})",
        HelpName = "url",
        Recursive = true,
    };

    public Option<string?> Context { get; } = new("--context")
    {
        Description = $"The saved context (server and sign-in) to use (env {ContextVariable}; else the current one, see 'tessera context')",
        HelpName = "name",
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "How to print results: table (the default), json (indented on a terminal, a line a value when piped) or yaml",
        HelpName = "table|json|yaml",
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = $"A bearer token sent with every call instead of the saved sign-in (env {TokenVariable})",
        HelpName = "token",
        Recursive = true,
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "Trust this CA (PEM) for the server's certificate instead of the system's (env TESSERA_CA; else the context's)",
        HelpName = "pem",
        Recursive = true,
    };

    public Option<string?> Certificate { get; } = new("--cert")
    {
        Description = "A client certificate (PEM) to present, for mutual TLS (env TESSERA_CERT; else the context's)",
        HelpName = "pem",
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The private key (PEM) of --cert; unset: the key is in the --cert file (env TESSERA_KEY; else the context's)",
        HelpName = "pem",
        Recursive = true,
    };

    public Option<double?> Timeout { get; } = new("--timeout")
    {
        Description = "Seconds to wait for a call (default 10); list and import get a limit only when this is given; watch and chat never",
        HelpName = "seconds",
        Recursive = true,
    };

    /// <summary>Makes the client a command talks to; tests swap in one over a fake call invoker.</summary>
    public Func<TesseraClientOptions, TesseraClient> ClientFactory { get; init; } = options => new TesseraClient(options);

    /// <summary>The config file with the saved contexts; tests point it at a temporary directory.</summary>
    public Func<ConfigStore> Config { get; init; } = ConfigStore.FromEnvironment;

    /// <summary>Whether standard input is a terminal (confirmations are asked only then); tests set it.</summary>
    public bool InputIsTerminal { get; init; } = !Console.IsInputRedirected;

    /// <summary>Where interactive commands (chat) read lines from; tests swap in a StringReader.</summary>
    public TextReader Input { get; init; } = Console.In;

    /// <summary>Asks for a password without echoing it; null when there is no terminal to ask on. Tests swap in their own.</summary>
    public Func<string, string?> PromptPassword { get; init; } = TerminalPrompt.ReadSecret;

    public GlobalOptions()
    {
        Timeout.Validators.Add(result =>
        {
            // Only a number is checked here; anything else is already a parse error (GetValueOrDefault would throw).
            if (result.Tokens is [var token]
                && double.TryParse(token.Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                && seconds <= 0)
            {
                result.AddError("--timeout must be a positive number of seconds");
            }
        });
    }

    public void AddTo(RootCommand root)
    {
        root.Options.Add(Address);
        root.Options.Add(Context);
        root.Options.Add(Output);
        root.Options.Add(Token);
        root.Options.Add(Ca);
        root.Options.Add(Certificate);
        root.Options.Add(Key);
        root.Options.Add(Timeout);
    }

    /// <summary>What the command line and environment say, before the saved context fills the gaps.</summary>
    public ConnectionSettings Settings(ParseResult parse) => new(
        parse.GetValue(Context) ?? FromEnvironment(ContextVariable),
        parse.GetValue(Address) ?? FromEnvironment(AddressVariable),
        parse.GetValue(Token) ?? FromEnvironment(TokenVariable),
        parse.GetValue(Ca) ?? FromEnvironment("TESSERA_CA"),
        parse.GetValue(Certificate) ?? FromEnvironment("TESSERA_CERT"),
        parse.GetValue(Key) ?? FromEnvironment("TESSERA_KEY"),
        parse.GetValue(Timeout) is { } seconds ? TimeSpan.FromSeconds(seconds) : null);

    private static string? FromEnvironment(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
