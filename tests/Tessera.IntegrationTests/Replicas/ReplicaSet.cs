using System.Security.Cryptography;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Client;
using Tessera.Contracts.Auth.V1;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>
/// N replicas (real server processes on loopback) on one fresh PostgreSQL database, with one shared JWT key, as
/// "More than one machine" in README describes. Disposing kills them and drops the database.
/// </summary>
internal sealed class ReplicaSet : IAsyncDisposable
{
    public const string AdminPassword = "admin-password-for-replica-tests";

    private readonly string admin;
    private readonly string database;

    private ReplicaSet(string admin, string database, string connectionString, IReadOnlyList<Replica> replicas)
    {
        this.admin = admin;
        this.database = database;
        ConnectionString = connectionString;
        Replicas = replicas;
    }

    /// <summary>The database the replicas share.</summary>
    public string ConnectionString { get; }

    public IReadOnlyList<Replica> Replicas { get; }

    public Replica this[int index] => Replicas[index];

    /// <summary>Starts <paramref name="count"/> replicas at once on a new database of the server <paramref name="adminConnectionString"/> names.</summary>
    public static async Task<ReplicaSet> StartAsync(string adminConnectionString, int count)
    {
        var database = $"tessera_replicas_{Guid.NewGuid():N}";
        var connectionString = await ReplicaPostgres.CreateDatabaseAsync(adminConnectionString, database);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));
        var starting = Enumerable.Range(0, count)
            .Select(i => Replica.StartAsync(((char)('A' + i)).ToString(), connectionString, key, AdminPassword))
            .ToList();
        try
        {
            await Task.WhenAll(starting);
        }
        catch
        {
            foreach (var started in starting.Where(task => task.IsCompletedSuccessfully))
            {
                await started.Result.DisposeAsync();
            }

            await ReplicaPostgres.DropDatabaseAsync(adminConnectionString, database);
            throw;
        }

        return new ReplicaSet(adminConnectionString, database, connectionString, [.. starting.Select(task => task.Result)]);
    }

    /// <summary>
    /// Signs in as the admin (through replica <paramref name="index"/>); every replica accepts the token. A replica
    /// makes the admin before it listens (Program.cs: PrepareAsync, then StartAsync), so a started one can sign it in.
    /// </summary>
    public async Task<TokenPair> LoginAdminAsync(int index = 0)
    {
        return (await new AuthService.AuthServiceClient(Replicas[index].Channel).LoginAsync(
            new LoginRequest { Username = "admin", Password = AdminPassword })).Tokens;
    }

    /// <summary>
    /// The SDK over every replica with the round_robin policy: its address lists the replicas' loopback ports (a
    /// <c>dns:///</c> name of a headless Service does the same in Kubernetes). The caller disposes it.
    /// </summary>
    public TesseraClient RoundRobinClient(string accessToken) => new(new TesseraClientOptions
    {
        Address = string.Join(',', Replicas.Select(replica => $"http://127.0.0.1:{replica.Port}")),
        AccessToken = accessToken,
    });

    /// <summary>
    /// Stops every replica still running with SIGTERM and fails if any of them logged an error (other than those
    /// <paramref name="expected"/> allows), as grpc-dotnet's functional tests fail on an unexpected error log.
    /// </summary>
    public async Task StopAndCheckLogsAsync(Func<string, bool>? expected = null)
    {
        var errors = new List<string>();
        foreach (var replica in Replicas)
        {
            errors.AddRange((await replica.StopAsync()).Where(line => expected?.Invoke(line) != true).Select(line => $"{replica.Name}: {line}"));
        }

        Assert.True(errors.Count == 0, $"the replicas logged errors:\n{string.Join('\n', errors)}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in Replicas)
        {
            await replica.DisposeAsync();
        }

        await ReplicaPostgres.DropDatabaseAsync(admin, database);
    }
}
