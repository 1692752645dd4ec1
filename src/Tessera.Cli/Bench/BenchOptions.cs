using System.CommandLine;

namespace Tessera.Cli.Bench;

/// <summary>The options of <c>tessera bench</c>, and their translation into <see cref="BenchSettings"/>.</summary>
internal sealed class BenchOptions
{
    public Argument<string> Scenario { get; } = new("scenario")
    {
        Description = "What to load: " + string.Join(", ", BenchScenarioNames.ByName.Keys),
    };

    public Option<int> Connections { get; } = new("--connections", "-c") { Description = "HTTP/2 connections (one channel each)", DefaultValueFactory = _ => 1 };

    public Option<int> Concurrency { get; } = new("--concurrency", "-n") { Description = "Calls in flight at once, spread over the connections", DefaultValueFactory = _ => 16 };

    public Option<double?> Duration { get; } = new("--duration", "-d") { Description = "Seconds to measure (default 10 unless --count is given)", HelpName = "seconds" };

    public Option<long?> Count { get; } = new("--count") { Description = "Calls to measure, instead of a duration" };

    public Option<double> Warmup { get; } = new("--warmup") { Description = "Seconds of unmeasured calls first", HelpName = "seconds", DefaultValueFactory = _ => 1 };

    public Option<int> Batch { get; } = new("--batch") { Description = "bulk-create: users per BulkCreateUsers stream", DefaultValueFactory = _ => 10_000 };

    public Option<bool> WithPassword { get; } = new("--with-password") { Description = "create-user, bulk-create: give every user a password (hashed by the server)" };

    public Option<long> IdRange { get; } = new("--id-range") { Description = "get-user: ask for ids 1..N at random", DefaultValueFactory = _ => 1 };

    public Option<int> Watchers { get; } = new("--watchers") { Description = "watch, watch-idle: streams held open", DefaultValueFactory = _ => 1000 };

    public Option<int> Rate { get; } = new("--rate") { Description = "watch: changes per second", DefaultValueFactory = _ => 500 };

    public Option<int?> CallsPerSecond { get; } = new("--calls-per-second") { Description = "Start this many calls per second over all workers (open loop) instead of calling again as each call ends", HelpName = "n" };

    public Option<string?> WriteAddress { get; } = new("--write-address") { Description = "watch: make the changes through this server (another replica on the same database) instead of the watched one", HelpName = "url" };

    public Option<int> Rooms { get; } = new("--rooms") { Description = "chat: rooms the members are spread over", DefaultValueFactory = _ => 1 };

    public Option<string?> Login { get; } = new("--login") { Description = "Sign in as this user first and send its token with every call", HelpName = "user" };

    public Option<string?> Password { get; } = new("--password") { Description = "The password of --login (else env TESSERA_PASSWORD)" };

    public Option<bool> Json { get; } = new("--json") { Description = "Print the report as one JSON object" };

    public void AddTo(Command command)
    {
        command.Arguments.Add(Scenario);
        foreach (var option in new Option[] { Connections, Concurrency, Duration, Count, Warmup, Batch, WithPassword, IdRange, Watchers, Rate, CallsPerSecond, WriteAddress, Rooms, Login, Password, Json })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>The settings the command line asks for; a <see cref="CliException"/> says what is wrong.</summary>
    public BenchSettings Read(ParseResult parse)
    {
        var name = parse.GetRequiredValue(Scenario);
        if (!BenchScenarioNames.ByName.TryGetValue(name, out var scenario))
        {
            throw new CliException($"unknown scenario '{name}'; choose one of: {string.Join(", ", BenchScenarioNames.ByName.Keys)}");
        }

        var duration = parse.GetValue(Duration);
        var count = parse.GetValue(Count);
        if (duration is not null && count is not null)
        {
            throw new CliException("give --duration or --count, not both");
        }

        var login = parse.GetValue(Login);
        var password = parse.GetValue(Password) is { Length: > 0 } given ? given
            : Environment.GetEnvironmentVariable(Commands.LoginCommand.PasswordVariable) is { Length: > 0 } env ? env : null;
        if (login is not null && password is null)
        {
            throw new CliException($"--login needs a password: give --password or set {Commands.LoginCommand.PasswordVariable}");
        }

        return new BenchSettings
        {
            Scenario = scenario,
            Connections = Positive(parse.GetValue(Connections), "--connections"),
            // create-order's workers are buyers: 50 unless told, as the issue's order load names.
            Concurrency = scenario == BenchScenario.CreateOrder && parse.GetResult(Concurrency) is null or { Implicit: true } ? 50 : Positive(parse.GetValue(Concurrency), "--concurrency"),
            Duration = duration is { } seconds ? TimeSpan.FromSeconds(Positive(seconds, "--duration")) : count is null ? TimeSpan.FromSeconds(10) : null,
            Count = count is { } n ? Positive(n, "--count") : null,
            Warmup = TimeSpan.FromSeconds(parse.GetValue(Warmup) is >= 0 and var warmup ? warmup : throw new CliException("--warmup must not be negative")),
            Batch = Positive(parse.GetValue(Batch), "--batch"),
            WithPassword = parse.GetValue(WithPassword),
            IdRange = Positive(parse.GetValue(IdRange), "--id-range"),
            Watchers = Positive(parse.GetValue(Watchers), "--watchers"),
            Rate = Positive(parse.GetValue(Rate), "--rate"),
            CallsPerSecond = parse.GetValue(CallsPerSecond) is { } paced ? Positive(paced, "--calls-per-second") : null,
            WriteAddress = parse.GetValue(WriteAddress) is { Length: > 0 } writeAddress
                ? scenario == BenchScenario.Watch ? writeAddress : throw new CliException("--write-address is for the watch scenario")
                : null,
            Rooms = Positive(parse.GetValue(Rooms), "--rooms"),
            Login = login,
            Password = login is null ? null : password,
            Json = parse.GetValue(Json),
        };
    }

    private static T Positive<T>(T value, string option)
        where T : System.Numerics.INumber<T> =>
        value > T.Zero ? value : throw new CliException($"{option} must be positive, not {value}");
}
