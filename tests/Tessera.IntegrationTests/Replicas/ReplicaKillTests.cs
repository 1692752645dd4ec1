using System.Collections.Concurrent;
using Grpc.Core;
using Tessera.Client;
using Tessera.Contracts.User.V1;
using Xunit.Abstractions;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>One of three replicas is killed (SIGKILL) while clients create users through all three.</summary>
public sealed class ReplicaKillTests(ITestOutputHelper output)
{
    private const int Workers = 4;
    private const int CreatesPerWorker = 50;
    private const int KillAfter = 40;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(45);

    [SkippableFact]
    public async Task Every_acknowledged_create_survives_a_killed_replica_and_the_clients_carry_on_against_the_other_two()
    {
        await using var set = await ReplicaSet.StartAsync(ReplicaPostgres.AdminConnectionString, 3);
        var admin = await set.LoginAdminAsync();
        using var client = set.RoundRobinClient(admin.AccessToken);
        using var stop = new CancellationTokenSource(Deadline);

        var acknowledged = new ConcurrentBag<(User User, bool AfterKill)>();
        var retried = 0;
        var killed = 0;
        var victim = set[1];
        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var i = 0; i < CreatesPerWorker; i++)
            {
                var name = $"k{worker}x{i}x{Guid.NewGuid().ToString("N")[..8]}";
                var request = new CreateUserRequest { Username = name, Email = $"{name}@example.com", RequestId = Guid.NewGuid().ToString() };
                while (true)
                {
                    var afterKill = Volatile.Read(ref killed) == 1;
                    try
                    {
                        var created = await client.CreateUserAsync(request, stop.Token);
                        acknowledged.Add((created.User, afterKill));
                        break;
                    }
                    catch (TesseraException e) when (e.StatusCode == StatusCode.Unavailable && !stop.IsCancellationRequested)
                    {
                        // The call died with the replica, or went to it before the channel noticed: the same request
                        // id again is safe (a create that did commit replays).
                        Interlocked.Increment(ref retried);
                        await Task.Delay(20, stop.Token);
                    }
                }

                if (acknowledged.Count >= KillAfter && Interlocked.CompareExchange(ref killed, 1, 0) == 0)
                {
                    await victim.KillAsync();
                }
            }
        }, stop.Token)).ToList();
        await Task.WhenAll(workers);

        output.WriteLine($"{acknowledged.Count} creates acknowledged, {acknowledged.Count(a => a.AfterKill)} after the kill; {retried} attempts retried after UNAVAILABLE");
        Assert.Equal(1, killed);
        Assert.Equal(Workers * CreatesPerWorker, acknowledged.Count);
        Assert.True(acknowledged.Count(a => a.AfterKill) >= Workers * CreatesPerWorker - KillAfter - (2 * Workers),
            $"{acknowledged.Count(a => a.AfterKill)} creates were acknowledged after the kill");

        // Every acknowledged create is in the database, once, as acknowledged.
        var names = string.Join(",", acknowledged.Select(a => $"'{a.User.Username}'"));
        var stored = await ReplicaPostgres.ExecuteAsync(set.ConnectionString, $"SELECT count(*) FROM users WHERE username IN ({names})");
        Assert.Equal((long)acknowledged.Count, stored);
        foreach (var replica in new[] { set[0], set[2] })
        {
            foreach (var (user, _) in acknowledged.Take(20))
            {
                Assert.Equal(user.Id, (await replica.Users.GetUserAsync(new GetUserRequest { UserId = user.Id }, new Metadata { { "authorization", $"Bearer {admin.AccessToken}" } })).Id);
            }
        }

        // The survivors took the lost replica's share without an error of their own.
        await set.StopAndCheckLogsAsync();
    }
}
