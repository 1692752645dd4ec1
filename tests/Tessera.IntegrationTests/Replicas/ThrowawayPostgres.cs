using System.Diagnostics;

namespace Tessera.IntegrationTests.Replicas;

/// <summary>
/// A PostgreSQL cluster of the test's own (scripts/postgres in a temporary folder), for tests that stop and start
/// the database under running replicas; destroyed on dispose.
/// </summary>
internal sealed class ThrowawayPostgres : IAsyncDisposable
{
    private readonly string directory;

    private ThrowawayPostgres(string directory, string adminConnectionString)
    {
        this.directory = directory;
        AdminConnectionString = adminConnectionString;
    }

    public string AdminConnectionString { get; }

    public static async Task<ThrowawayPostgres> StartAsync()
    {
        _ = ReplicaPostgres.AdminConnectionString;
        var directory = Path.Combine(Path.GetTempPath(), $"tessera-postgres-{Guid.NewGuid():N}");
        var url = await RunAsync("start", directory);
        return new ThrowawayPostgres(directory, url.Trim());
    }

    /// <summary><c>pg_ctl stop -m immediate</c>: the server dies without a clean shutdown, as in a crash.</summary>
    public Task CrashAsync() => RunAsync("stop", directory, "immediate");

    public Task RestartAsync() => RunAsync("restart", directory);

    public async ValueTask DisposeAsync() => await RunAsync("destroy", directory);

    private static async Task<string> RunAsync(params string[] args)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(Peers.RepositoryRoot, "scripts", "postgres"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        Assert.True(process.ExitCode == 0, $"scripts/postgres {string.Join(' ', args)} failed ({process.ExitCode}): {await errors}");
        return await output;
    }
}
