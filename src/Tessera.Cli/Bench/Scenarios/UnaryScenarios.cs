using Google.Protobuf.WellKnownTypes;
using Tessera.Contracts.Bench.V1;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Bench.Scenarios;

/// <summary>The unary scenarios: GetUser, the no-op RPC, CreateUser, and the server's password-hash rate.</summary>
internal static class UnaryScenarios
{
    public static BenchOperation GetUser(BenchSettings settings, BenchConnections connections)
    {
        var clients = connections.Invokers.Select(invoker => new UserService.UserServiceClient(invoker)).ToArray();
        return async (worker, _, cancellationToken) =>
        {
            var request = new GetUserRequest { UserId = Random.Shared.NextInt64(1, settings.IdRange + 1) };
            await clients[worker % clients.Length].GetUserAsync(request, connections.Options(cancellationToken)).ConfigureAwait(false);
            return 1;
        };
    }

    public static BenchOperation Noop(BenchSettings settings, BenchConnections connections)
    {
        var clients = connections.Invokers.Select(invoker => new BenchService.BenchServiceClient(invoker)).ToArray();
        return async (worker, _, cancellationToken) =>
        {
            var request = new NoopRequest { UserId = Random.Shared.NextInt64(1, settings.IdRange + 1) };
            await clients[worker % clients.Length].NoopAsync(request, connections.Options(cancellationToken)).ConfigureAwait(false);
            return 1;
        };
    }

    public static BenchOperation CreateUser(BenchSettings settings, BenchConnections connections)
    {
        var clients = connections.Invokers.Select(invoker => new UserService.UserServiceClient(invoker)).ToArray();
        var users = new UniqueUsers(settings.WithPassword);
        return async (worker, _, cancellationToken) =>
        {
            await clients[worker % clients.Length].CreateUserAsync(users.Next(), connections.Options(cancellationToken)).ConfigureAwait(false);
            return 1;
        };
    }

    /// <summary>One call: the server hashes on all its cores for the duration (default 3 s) and reports the rate.</summary>
    public static async Task<BenchReport> HashRateAsync(BenchSettings settings, BenchConnections connections, string address, CancellationToken cancellationToken)
    {
        var client = new BenchService.BenchServiceClient(connections.Invokers[0]);
        var duration = settings.Duration ?? TimeSpan.FromSeconds(3);
        var response = await client.MeasurePasswordHashRateAsync(
            new MeasurePasswordHashRateRequest { Duration = Duration.FromTimeSpan(duration) },
            connections.Options(cancellationToken)).ConfigureAwait(false);
        var latency = new LatencyHistogram();
        latency.Record((long)response.Elapsed.ToTimeSpan().TotalMicroseconds);
        return new BenchReport
        {
            Scenario = BenchScenarioNames.Of(settings.Scenario),
            Address = address,
            Connections = 1,
            Concurrency = 1,
            Seconds = Math.Round(response.Elapsed.ToTimeSpan().TotalSeconds, 3),
            Requests = 1,
            Items = response.Hashes,
            LatencyMs = LatencySummary.From(latency),
            Extra = new SortedDictionary<string, double>(StringComparer.Ordinal)
            {
                ["hashes_per_second"] = Math.Round(response.HashesPerSecond, 1),
                ["threads"] = response.Threads,
            },
        };
    }
}
