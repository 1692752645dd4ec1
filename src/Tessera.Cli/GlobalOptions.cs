using System.CommandLine;
using Tessera.Client;

namespace Tessera.Cli;

/// <summary>The options every command takes, and the session they describe.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Address { get; } = new("--address")
    {
        Description = "The server's address (env TESSERA_ADDRESS)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_ADDRESS") is { Length: > 0 } env ? env : TesseraClientOptions.DefaultAddress,
        Recursive = true,
    };

    public Option<OutputFormat> Output { get; } = new("--output", "-o")
    {
        Description = "How to print results: table or json",
        HelpName = "table|json",
        DefaultValueFactory = _ => OutputFormat.Table,
        Recursive = true,
    };

    public Option<string?> Token { get; } = new("--token")
    {
        Description = "A bearer token sent with every call (env TESSERA_TOKEN)",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("TESSERA_TOKEN") is { Length: > 0 } env ? env : null,
        Recursive = true,
    };

    public Option<string?> Ca { get; } = new("--ca")
    {
        Description = "Trust this CA (PEM) for the server's certificate instead of the system's (env TESSERA_CA)",
        HelpName = "pem",
        DefaultValueFactory = _ => FromEnvironment("TESSERA_CA"),
        Recursive = true,
    };

    public Option<string?> Certificate { get; } = new("--cert")
    {
        Description = "A client certificate (PEM) to present, for mutual TLS (env TESSERA_CERT)",
        HelpName = "pem",
        DefaultValueFactory = _ => FromEnvironment("TESSERA_CERT"),
        Recursive = true,
    };

    public Option<string?> Key { get; } = new("--key")
    {
        Description = "The private key (PEM) of --cert; unset: the key is in the --cert file (env TESSERA_KEY)",
        HelpName = "pem",
        DefaultValueFactory = _ => FromEnvironment("TESSERA_KEY"),
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
        root.Options.Add(Output);
        root.Options.Add(Token);
        root.Options.Add(Ca);
        root.Options.Add(Certificate);
        root.Options.Add(Key);
        root.Options.Add(Timeout);
    }

    /// <summary>The client options the parsed global options describe.</summary>
    public TesseraClientOptions ClientOptions(ParseResult parse)
    {
        var options = new TesseraClientOptions
        {
            Address = parse.GetValue(Address) ?? TesseraClientOptions.DefaultAddress,
            AccessToken = parse.GetValue(Token),
            CaCertificatePath = parse.GetValue(Ca),
            ClientCertificatePath = parse.GetValue(Certificate),
            ClientKeyPath = parse.GetValue(Key),
        };
        if (parse.GetValue(Timeout) is { } seconds)
        {
            options.DefaultDeadline = TimeSpan.FromSeconds(seconds);
        }

        return options;
    }

    private static string? FromEnvironment(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value ? value : null;
}
