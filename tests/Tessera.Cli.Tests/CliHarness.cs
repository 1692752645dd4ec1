using System.CommandLine;
using Tessera.Cli.Config;
using Tessera.Client;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>Runs <c>tessera</c> in-process against a <see cref="FakeCallInvoker"/>, capturing stdout and stderr.</summary>
/// <remarks>Each harness has its own config file (<see cref="ConfigPath"/>), made when a command saves it and deleted by <see cref="Dispose"/>.</remarks>
internal sealed class CliHarness : IDisposable
{
    private readonly string _configDirectory = Path.Combine(Path.GetTempPath(), "tessera-cli-tests", Guid.NewGuid().ToString("N"));

    public static readonly User Ada = new() { Id = 7, Username = "ada", Email = "ada@example.com", FullName = "Ada Lovelace", IsActive = true, Roles = { "admin" }, Etag = "v1" };

    public FakeCallInvoker Invoker { get; } = new()
    {
        OnUnary = (method, request) => (method, request) switch
        {
            ("GetUser", GetUserRequest { UserId: 7 }) => Ada,
            ("GetUser", GetUserRequest get) => throw ServerErrors.NotFound(get.UserId),
            ("CreateUser", CreateUserRequest create) => new CreateUserResponse { User = new User { Id = 8, Username = create.Username, Email = create.Email } },
            ("UpdateUser", UpdateUserRequest update) => update.User,
            ("DeleteUser", _) => new Google.Protobuf.WellKnownTypes.Empty(),
            _ => throw new InvalidOperationException($"unexpected {method}"),
        },
    };

    public StringWriter Out { get; } = new();

    public StringWriter Error { get; } = new();

    public TextReader Input { get; set; } = new StringReader("");

    /// <summary>Answers the password prompt (null: no terminal); records each prompt in <see cref="Prompts"/>.</summary>
    public string? PromptAnswer { get; set; }

    public List<string> Prompts { get; } = [];

    /// <summary>Answers to successive prompts, used before <see cref="PromptAnswer"/> while any are left.</summary>
    public Queue<string>? PromptAnswers { get; set; }

    /// <summary>Whether the command sees a terminal on standard input (to ask for confirmation).</summary>
    public bool InputIsTerminal { get; set; }

    /// <summary>The config file the commands read and write (it does not exist until something saves it).</summary>
    public string ConfigPath => Path.Combine(_configDirectory, "tessera", "config.json");

    public ConfigStore Config => new(ConfigPath);

    /// <summary>The client options the last command was run with.</summary>
    public TesseraClientOptions? ClientOptions { get; private set; }

    public Task<int> RunAsync(params string[] args)
    {
        var globals = new GlobalOptions
        {
            ClientFactory = options =>
            {
                ClientOptions = options;
                return new TesseraClient(Invoker, options);
            },
            Input = Input,
            InputIsTerminal = InputIsTerminal,
            Config = () => Config,
            PromptPassword = prompt =>
            {
                Prompts.Add(prompt);
                return PromptAnswers is { Count: > 0 } answers ? answers.Dequeue() : PromptAnswer;
            },
        };
        return CliRunner.RunAsync(Program.BuildRootCommand(globals), args, new InvocationConfiguration { Output = Out, Error = Error });
    }

    public void Dispose()
    {
        if (Directory.Exists(_configDirectory))
        {
            Directory.Delete(_configDirectory, recursive: true);
        }
    }

    public string[] OutLines() => Out.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
