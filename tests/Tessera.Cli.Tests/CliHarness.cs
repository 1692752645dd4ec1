using System.CommandLine;
using Tessera.Client;
using Tessera.Contracts.User.V1;
using Tessera.Testing;

namespace Tessera.Cli.Tests;

/// <summary>Runs <c>tessera</c> in-process against a <see cref="FakeCallInvoker"/>, capturing stdout and stderr.</summary>
internal sealed class CliHarness
{
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
            PromptPassword = prompt =>
            {
                Prompts.Add(prompt);
                return PromptAnswer;
            },
        };
        return CliRunner.RunAsync(Program.BuildRootCommand(globals), args, new InvocationConfiguration { Output = Out, Error = Error });
    }

    public string[] OutLines() => Out.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
}
