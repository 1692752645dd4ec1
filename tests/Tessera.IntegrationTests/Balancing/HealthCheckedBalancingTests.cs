using Tessera.Client;

namespace Tessera.IntegrationTests.Balancing;

/// <summary>
/// The SDK over three real user-service processes (issue 9, Tests, Balancing): round_robin spreads calls over all
/// three; one stopped, every call still succeeds on the others; started again, it gets calls again.
/// </summary>
/// <remarks>
/// Each process has its own SQLite store, where the test makes one user named after the process: the username a
/// GetUser answers with says which process answered.
/// </remarks>
public sealed class HealthCheckedBalancingTests : IAsyncLifetime
{
    private static readonly string[] Names = ["process-a", "process-b", "process-c"];

    private readonly List<UserServiceProcess> servers = [];
    private readonly CancellationTokenSource timeout = new(TimeSpan.FromSeconds(90));
    private long userId;

    public async Task InitializeAsync()
    {
        servers.AddRange(await Task.WhenAll(Names.Select(_ => UserServiceProcess.StartAsync())));
        var ids = new HashSet<long>();
        for (var i = 0; i < servers.Count; i++)
        {
            ids.Add((await servers[i].CreateUserAsync(Names[i])).Id);
        }

        // Fresh stores number their first user alike, so one id names a different user on each process.
        userId = Assert.Single(ids);
    }

    public async Task DisposeAsync()
    {
        foreach (var server in servers)
        {
            await server.DisposeAsync();
        }

        timeout.Dispose();
    }

    [Fact]
    public async Task Calls_spread_over_three_processes_skip_a_stopped_one_and_reach_it_again_once_it_is_back()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = string.Join(',', servers.Select(server => server.Address)) });

        await CallUntilAsync(client, answers => answers.Distinct().Count() == 3);
        var spread = await CallAsync(client, 30);
        Assert.Equal(Names, spread.Distinct().Order());
        Assert.All(spread.CountBy(name => name), count => Assert.Equal(10, count.Value));

        // Calls go on one after another while process-b stops: not one fails.
        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token);
        var during = CallWhileAsync(client, stopping.Token);
        await servers[1].StopAsync();
        await stopping.CancelAsync();
        Assert.NotEmpty(await during);

        var whileDown = await CallAsync(client, 30);
        Assert.Equal([Names[0], Names[2]], whileDown.Distinct().Order());

        await servers[1].StartAgainAsync();

        // The channel connects to it again on its own (reconnect backoff, bounded by the test's timeout).
        await CallUntilAsync(client, answers => answers.Contains(Names[1]));
        var after = await CallAsync(client, 30);
        Assert.All(after.CountBy(name => name), count => Assert.Equal(10, count.Value));
    }

    /// <summary>Calls until <paramref name="stop"/> is cancelled; every call must succeed.</summary>
    private async Task<List<string>> CallWhileAsync(TesseraClient client, CancellationToken stop)
    {
        var answers = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            answers.Add((await client.GetUserAsync(userId, timeout.Token)).Username);
        }

        return answers;
    }

    private async Task<List<string>> CallAsync(TesseraClient client, int count)
    {
        var answers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            answers.Add((await client.GetUserAsync(userId, timeout.Token)).Username);
        }

        return answers;
    }

    private async Task CallUntilAsync(TesseraClient client, Func<List<string>, bool> done)
    {
        var answers = new List<string>();
        while (!done(answers))
        {
            answers.Add((await client.GetUserAsync(userId, timeout.Token)).Username);
        }
    }
}
