using System.CommandLine;
using Spectre.Console;
using Tessera.Cli.Config;
using Tessera.Cli.Output;
using Tessera.Client;
using Tessera.Contracts.Auth.V1;

namespace Tessera.Cli;

/// <summary>
/// What one command invocation works with: the client, the saved context it signs in with, the output format,
/// and where to write.
/// </summary>
internal sealed class CliSession : IDisposable
{
    /// <summary>A saved access token this close to its expiry is refreshed before the command's first call.</summary>
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromSeconds(60);

    private readonly ConfigStore _store;

    private CliSession(TesseraClient client, ConfigStore store, string contextName, SavedSession saved, bool usesSavedSignIn,
        TesseraClientOptions options, OutputFormat format, TextWriter output, TextWriter error, DateTime? streamDeadline)
    {
        Client = client;
        _store = store;
        ContextName = contextName;
        Saved = saved;
        UsesSavedSignIn = usesSavedSignIn;
        ClientOptions = options;
        Format = format;
        Out = output;
        Error = error;
        StreamDeadline = streamDeadline;
        OutIsTerminal = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        Printer = new DataPrinter(output, format, OutIsTerminal);
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

    /// <summary>The context this command reads its server and sign-in from, and saves new tokens into.</summary>
    public string ContextName { get; }

    /// <summary>The context as saved (an empty one if it does not exist yet).</summary>
    public SavedSession Saved { get; private set; }

    /// <summary>True when calls carry the saved access token (not <c>--token</c>/TESSERA_TOKEN), so it may be refreshed.</summary>
    public bool UsesSavedSignIn { get; private set; }

    /// <summary>The address, TLS files and token the client was made with.</summary>
    public TesseraClientOptions ClientOptions { get; }

    public OutputFormat Format { get; }

    /// <summary>Writes data (proto messages, small objects) as JSON or YAML.</summary>
    public DataPrinter Printer { get; }

    /// <summary>Standard output (or the writer a test passed in).</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error (or the writer a test passed in).</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre.Console over <see cref="Out"/>, for tables and progress bars.</summary>
    public IAnsiConsole Console { get; }

    /// <summary>True when standard output is an interactive terminal (progress bars and live tables are drawn only then).</summary>
    public bool OutIsTerminal { get; }

    /// <summary>The deadline for list and import: set only when <c>--timeout</c> was given.</summary>
    public DateTime? StreamDeadline { get; }

    /// <summary>Where the saved contexts live.</summary>
    public string ConfigPath => _store.Path;

    public static async Task<CliSession> OpenAsync(ParseResult parse, GlobalOptions globals, bool refreshSignIn, CancellationToken cancellationToken)
    {
        var settings = globals.Settings(parse);
        var store = globals.Config();
        var config = store.Load();
        var contextName = settings.Context ?? config.CurrentContext;
        var saved = config.Contexts.GetValueOrDefault(contextName) ?? new SavedSession();
        var (options, usesSaved) = settings.With(saved);
        DateTime? streamDeadline = settings.Timeout is { } timeout ? DateTime.UtcNow + timeout : null;
        TesseraClient client;
        try
        {
            client = globals.ClientFactory(options);
        }
        catch (ArgumentException e)
        {
            // An address that is none of the accepted forms (the message lists them).
            throw new CliException($"--address: {e.Message}", e);
        }
        catch (InvalidOperationException e)
        {
            // TLS settings that cannot work: an unreadable --ca, --cert or --key, or them with an http:// address.
            throw new CliException(e.Message, e);
        }

        var invocation = parse.InvocationConfiguration;
        var session = new CliSession(client, store, contextName, saved, usesSaved, options, parse.GetValue(globals.Output), invocation.Output, invocation.Error, streamDeadline);
        try
        {
            if (refreshSignIn && usesSaved && saved.AccessTokenExpiresAt is { } expires && expires - DateTimeOffset.UtcNow < RefreshMargin)
            {
                await session.RefreshAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return session;
    }

    /// <summary>
    /// Trades the saved refresh token for new tokens and saves them; if that fails, says to sign in again. Under the
    /// config's lock: when another tessera process refreshed meanwhile, its fresh tokens are used instead.
    /// </summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var stale = Client.AccessToken;
        using var configLock = await _store.LockAsync(cancellationToken).ConfigureAwait(false);
        if (_store.Load().Contexts.GetValueOrDefault(ContextName) is { } current)
        {
            Saved = current;
        }

        if (Saved.AccessToken is { Length: > 0 } saved && saved != stale && Saved.AccessTokenExpiresAt is { } expires && expires - DateTimeOffset.UtcNow >= RefreshMargin)
        {
            Client.AccessToken = saved;
            return;
        }

        if (Saved.RefreshToken is not { Length: > 0 } refreshToken)
        {
            throw new CliException($"the saved sign-in has expired; sign in again: tessera login{ContextOption}");
        }

        TokenPair tokens;
        try
        {
            tokens = await Client.RefreshAsync(refreshToken, cancellationToken).ConfigureAwait(false);
        }
        catch (UnauthenticatedException e)
        {
            SaveSession(Saved.SignedOut());
            throw new CliException($"the saved sign-in has ended ({e.Message}); sign in again: tessera login{ContextOption}", e);
        }

        SaveSignIn(tokens, Saved.Username);
    }

    /// <summary>Saves a new sign-in (from login, refresh or a password change) into this context, with the server it was made at.</summary>
    public void SaveSignIn(TokenPair tokens, string? username)
    {
        SaveSession(Saved with
        {
            Address = ClientOptions.Address,
            Ca = ClientOptions.CaCertificatePath,
            Certificate = ClientOptions.ClientCertificatePath,
            Key = ClientOptions.ClientKeyPath,
            Username = username,
            UserId = tokens.UserId,
            AccessToken = tokens.AccessToken,
            AccessTokenExpiresAt = tokens.AccessTokenExpiresAt?.ToDateTimeOffset(),
            RefreshToken = tokens.RefreshToken,
            RefreshTokenExpiresAt = tokens.RefreshTokenExpiresAt?.ToDateTimeOffset(),
        });
        UsesSavedSignIn = true;
    }

    /// <summary>Replaces this context in the config file (re-read first, so other contexts changed meanwhile are kept).</summary>
    public void SaveSession(SavedSession session)
    {
        var config = _store.Load();
        config.Contexts[ContextName] = session;
        _store.Save(config);
        Saved = session;
    }

    private string ContextOption => ContextName == CliConfig.DefaultContext ? "" : $" --context {ContextName}";

    public void Dispose() => Client.Dispose();
}
