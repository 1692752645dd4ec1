using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tessera.Contracts.User.V1;
using Tessera.Users.Chat;
using Kind = Tessera.Contracts.User.V1.ChatMessage.Types.Kind;

namespace Tessera.Users.Tests;

/// <summary>
/// Two replicas' chat rooms, each on its own <see cref="PostgresChatBus"/>, on one PostgreSQL database (a fresh one for
/// this class, on the server TESSERA_TEST_POSTGRES names; skipped without it, failed under CI=true).
/// </summary>
public sealed class PostgresChatBusTests : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    private readonly string database = $"tessera_chat_{Guid.NewGuid():N}";
    private readonly List<PostgresChatBus> buses = [];
    private string? admin;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var bus in buses)
        {
            await bus.StopAsync(CancellationToken.None);
            bus.Dispose();
        }

        if (admin is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await ExecuteAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }

    [SkippableFact]
    public async Task Members_on_two_replicas_see_every_message_in_one_order()
    {
        var (a, _) = await ReplicaAsync();
        var (b, _) = await ReplicaAsync();
        var alice = a.Connect("alice");
        var bob = b.Connect("bob");
        await a.JoinAsync(alice, "lobby", default);
        await Read(alice, 1);
        await b.JoinAsync(bob, "lobby", default);
        Assert.Equal([(Kind.Join, "bob", 2L)], (await Read(bob, 1)).Select(m => (m.Kind, m.Sender, m.Sequence)));
        Assert.Equal([(Kind.Join, "bob", 2L)], (await Read(alice, 1)).Select(m => (m.Kind, m.Sender, m.Sequence)));

        const int Each = 40;
        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < Each; i++)
                {
                    Assert.True(await a.SayAsync(alice, "lobby", $"alice {i} ünïcode", default));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < Each; i++)
                {
                    Assert.True(await b.SayAsync(bob, "lobby", $"bob {i}", default));
                }
            })).WaitAsync(Deadline);

        var seenByAlice = await Read(alice, 2 * Each);
        var seenByBob = await Read(bob, 2 * Each);
        Assert.Equal(seenByAlice.Select(m => (m.Sequence, m.Sender, m.Text, m.SentAt)), seenByBob.Select(m => (m.Sequence, m.Sender, m.Text, m.SentAt)));
        Assert.Equal(Enumerable.Range(3, 2 * Each).Select(s => (long)s), seenByAlice.Select(m => m.Sequence));
        Assert.Equal(Enumerable.Range(0, Each).Select(i => $"alice {i} ünïcode"), seenByAlice.Where(m => m.Sender == "alice").Select(m => m.Text));
        Assert.Equal(Enumerable.Range(0, Each).Select(i => $"bob {i}"), seenByAlice.Where(m => m.Sender == "bob").Select(m => m.Text));

        await b.DisconnectAsync(bob, default);
        var left = Assert.Single(await Read(alice, 1));
        Assert.Equal((Kind.Leave, "bob", "bob left", 2L * Each + 3), (left.Kind, left.Sender, left.Text, left.Sequence));
    }

    [SkippableFact]
    public async Task A_replica_that_loses_its_listener_drops_its_members_refuses_joins_and_serves_again_once_reconnected()
    {
        var (a, busA) = await ReplicaAsync();
        var (b, _) = await ReplicaAsync();
        var alice = a.Connect("alice");
        var bob = b.Connect("bob");
        await a.JoinAsync(alice, "lobby", default);
        await Read(alice, 1);
        await b.JoinAsync(bob, "lobby", default);
        await Read(alice, 1);
        await Read(bob, 1);

        await ExecuteAsync(admin!, $"SELECT pg_terminate_backend({busA.ListenerProcessId})");

        await WaitUntil(() => alice.Dropped.IsCancellationRequested);
        Assert.True(alice.BusLost);
        Assert.False(bob.Dropped.IsCancellationRequested);
        Assert.Equal(0, a.CountMembers("lobby"));

        await WaitUntil(() => busA.Connected);
        var carol = a.Connect("carol");
        await a.JoinAsync(carol, "lobby", default);
        Assert.True(await b.SayAsync(bob, "lobby", "welcome back", default));
        Assert.Equal([(Kind.Join, "carol"), (Kind.Text, "bob")], (await Read(carol, 2)).Select(m => (m.Kind, m.Sender)));
    }

    [SkippableFact]
    public async Task A_text_too_large_for_a_notification_is_refused_and_reaches_nobody()
    {
        var (a, _) = await ReplicaAsync();
        var alice = a.Connect("alice");
        await a.JoinAsync(alice, "lobby", default);
        await Read(alice, 1);

        var e = await Assert.ThrowsAsync<ChatTextTooLongException>(() => a.SayAsync(alice, "lobby", new string('€', 4096), default));

        Assert.Equal(PostgresChatBus.MaxEventBytes, e.Maximum);
        Assert.True(e.Bytes > 3 * 4096);
        Assert.True(await a.SayAsync(alice, "lobby", new string('€', 2000), default));
        Assert.Equal(new string('€', 2000), Assert.Single(await Read(alice, 1)).Text);
    }

    private async Task<(ChatRooms Rooms, PostgresChatBus Bus)> ReplicaAsync()
    {
        if (admin is null)
        {
            admin = TestPostgres.AdminConnectionString;
            await ExecuteAsync(admin, $"CREATE DATABASE {database}");
            await using var migrating = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString);
            await Tessera.Users.Storage.Postgres.PostgresSchema.ApplyAsync(migrating, CancellationToken.None);
        }

        var bus = new PostgresChatBus(new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString, NullLogger<PostgresChatBus>.Instance);
        buses.Add(bus);
        await bus.StartAsync(CancellationToken.None);
        Assert.True(bus.Connected);
        return (new ChatRooms(bus, TimeProvider.System, NullLogger<ChatRooms>.Instance), bus);
    }

    private static async Task<List<ChatMessage>> Read(ChatMember member, int count)
    {
        using var timeout = new CancellationTokenSource(Deadline);
        var messages = new List<ChatMessage>();
        while (messages.Count < count)
        {
            messages.Add(await member.Outgoing.ReadAsync(timeout.Token));
        }

        await Task.Delay(50);
        Assert.False(member.Outgoing.TryPeek(out var extra), $"one more message than expected: {extra}");
        return messages;
    }

    private static async Task WaitUntil(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold in time");
            await Task.Delay(20);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
