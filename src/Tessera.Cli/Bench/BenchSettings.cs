namespace Tessera.Cli.Bench;

/// <summary>What <c>tessera bench</c> was asked to do, parsed and checked.</summary>
internal sealed record BenchSettings
{
    public required BenchScenario Scenario { get; init; }

    /// <summary>HTTP/2 connections (one channel each, reused for every call).</summary>
    public int Connections { get; init; } = 1;

    /// <summary>Calls in flight at once (workers), spread over the connections.</summary>
    public int Concurrency { get; init; } = 16;

    /// <summary>How long to measure; null when <see cref="Count"/> is set.</summary>
    public TimeSpan? Duration { get; init; }

    /// <summary>How many calls to measure; null when <see cref="Duration"/> is set.</summary>
    public long? Count { get; init; }

    /// <summary>Calls made first and not measured, for the JIT, connections and caches.</summary>
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Users sent per BulkCreateUsers stream.</summary>
    public int Batch { get; init; } = 10_000;

    /// <summary>Give created users a password (CreateUser, BulkCreateUsers).</summary>
    public bool WithPassword { get; init; }

    /// <summary>GetUser asks for ids 1..IdRange (uniformly at random).</summary>
    public long IdRange { get; init; } = 1;

    /// <summary>Watch streams held open (watch, watch-idle).</summary>
    public int Watchers { get; init; } = 1000;

    /// <summary>Changes made per second while watchers listen (watch).</summary>
    public int Rate { get; init; } = 500;

    /// <summary>
    /// Calls started per second over all workers (open loop, each worker on its own schedule), or null for closed loop
    /// (each worker calls again as soon as its call ends). Latency is measured from each call's start.
    /// </summary>
    public int? CallsPerSecond { get; init; }

    /// <summary>watch: make the changes through this server (another replica) instead of the watched one.</summary>
    public string? WriteAddress { get; init; }

    /// <summary>Chat rooms the members are spread over (chat).</summary>
    public int Rooms { get; init; } = 1;

    public string? Login { get; init; }

    public string? Password { get; init; }

    public bool Json { get; init; }
}

/// <summary>The scenarios <c>tessera bench</c> runs.</summary>
internal enum BenchScenario
{
    GetUser,
    Noop,
    CreateUser,
    BulkCreate,
    ListUsers,
    Watch,
    WatchIdle,
    Chat,
    HashRate,
    CreateOrder,
}

internal static class BenchScenarioNames
{
    public static readonly IReadOnlyDictionary<string, BenchScenario> ByName = new Dictionary<string, BenchScenario>(StringComparer.Ordinal)
    {
        ["get-user"] = BenchScenario.GetUser,
        ["noop"] = BenchScenario.Noop,
        ["create-user"] = BenchScenario.CreateUser,
        ["bulk-create"] = BenchScenario.BulkCreate,
        ["list-users"] = BenchScenario.ListUsers,
        ["watch"] = BenchScenario.Watch,
        ["watch-idle"] = BenchScenario.WatchIdle,
        ["chat"] = BenchScenario.Chat,
        ["hash-rate"] = BenchScenario.HashRate,
        ["create-order"] = BenchScenario.CreateOrder,
    };

    public static string Of(BenchScenario scenario) => ByName.First(pair => pair.Value == scenario).Key;
}
