using Tessera.Client.Tests.Servers;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Tessera.Client.Tests;

/// <summary>
/// Client-side health checking of a balanced address, against in-process servers with a grpc.health.v1 service:
/// a server that says NOT_SERVING for user.v1.UserService stays connected but gets no calls, and gets them again once
/// it says SERVING.
/// </summary>
public sealed class HealthCheckingTests : IAsyncLifetime
{
    private readonly List<ReplicaServer> _servers = [];

    /// <summary>Bounds every test: its calls are cancelled after this.</summary>
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(30));

    public async Task InitializeAsync()
    {
        foreach (var name in new[] { "a", "b", "c" })
        {
            _servers.Add(await ReplicaServer.StartWithHealthAsync(name));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        _timeout.Dispose();
    }

    private string ListAddress => string.Join(',', _servers.Select(server => server.Address));

    [Fact]
    public async Task A_server_not_serving_gets_no_calls_until_it_serves_again()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = ListAddress });
        await CallUntilAsync(client, answers => answers.Distinct().Count() == 3);

        _servers[1].SetHealth(ServingStatus.NotServing);

        // The watch hears of it at once; from then on (a call or two may already be on its way) "b" gets none.
        await CallUntilAsync(client, answers => answers.Count >= 30 && !answers.TakeLast(30).Contains("b"));
        var whileDown = await CallAsync(client, 30);
        Assert.Equal(["a", "c"], whileDown.Distinct().Order());
        Assert.All(whileDown.CountBy(name => name), count => Assert.Equal(15, count.Value));

        _servers[1].SetHealth(ServingStatus.Serving);

        await CallUntilAsync(client, answers => answers.Contains("b"));
        var afterwards = await CallAsync(client, 30);
        Assert.All(afterwards.CountBy(name => name), count => Assert.Equal(10, count.Value));
    }

    [Fact]
    public async Task With_no_server_serving_a_call_fails_unavailable_saying_why()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = ListAddress });
        await CallUntilAsync(client, answers => answers.Distinct().Count() == 3);

        foreach (var server in _servers)
        {
            server.SetHealth(ServingStatus.NotServing);
        }

        var failure = await WaitForFailureAsync(client);

        Assert.Contains("no server reports SERVING for user.v1.UserService", failure.Message, StringComparison.Ordinal);

        _servers[2].SetHealth(ServingStatus.Serving);
        await SucceedAsync(client);
        Assert.Equal(["c"], (await CallAsync(client, 5)).Distinct());
    }

    [Fact]
    public async Task A_service_unknown_to_the_servers_counts_as_not_serving()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = ListAddress, HealthCheckService = "inventory.v1.InventoryService" });

        var failure = await WaitForFailureAsync(client);

        Assert.Contains("inventory.v1.InventoryService", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_health_check_service_every_connected_server_gets_calls()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = ListAddress, HealthCheckService = null });
        _servers[1].SetHealth(ServingStatus.NotServing);

        await CallUntilAsync(client, answers => answers.Distinct().Count() == 3);
    }

    [Fact]
    public async Task A_server_left_out_for_its_health_still_answers_direct_calls()
    {
        using var client = new TesseraClient(new TesseraClientOptions { Address = ListAddress });
        await CallUntilAsync(client, answers => answers.Distinct().Count() == 3);

        using var direct = new TesseraClient(new TesseraClientOptions { Address = _servers[1].Address });
        _servers[1].SetHealth(ServingStatus.NotServing);
        await CallUntilAsync(client, answers => answers.Count >= 30 && !answers.TakeLast(30).Contains("b"));

        // "b" still answers whoever calls it directly: only the balanced client leaves it out.
        Assert.Equal("b", (await direct.GetUserAsync(1, _timeout.Token)).Username);
    }

    /// <summary>Calls until every call after the servers' change fails UNAVAILABLE (the first may still get through).</summary>
    private async Task<UnavailableException> WaitForFailureAsync(TesseraClient client)
    {
        while (true)
        {
            try
            {
                await client.GetUserAsync(1, _timeout.Token);
            }
            catch (UnavailableException e)
            {
                return e;
            }
        }
    }

    /// <summary>Calls until one succeeds.</summary>
    private async Task SucceedAsync(TesseraClient client)
    {
        while (true)
        {
            try
            {
                await client.GetUserAsync(1, _timeout.Token);
                return;
            }
            catch (UnavailableException)
            {
                // Not yet.
            }
        }
    }

    private async Task<List<string>> CallAsync(TesseraClient client, int count)
    {
        var answers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            answers.Add((await client.GetUserAsync(1, _timeout.Token)).Username);
        }

        return answers;
    }

    /// <summary>Calls one at a time until <paramref name="done"/> holds for the answers so far (bounded by the test's timeout).</summary>
    private async Task CallUntilAsync(TesseraClient client, Func<List<string>, bool> done)
    {
        var answers = new List<string>();
        while (!done(answers))
        {
            answers.Add((await client.GetUserAsync(1, _timeout.Token)).Username);
        }
    }
}
