using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Operations;

/// <summary>The real server process (<c>dotnet Tessera.Server.dll ARGS</c>), its output collected; killed on dispose if still running.</summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly Task<string> output;
    private readonly Task<string> errors;

    private ServerProcess(Process process)
    {
        this.process = process;
        output = process.StandardOutput.ReadToEndAsync();
        errors = process.StandardError.ReadToEndAsync();
    }

    /// <summary>
    /// Starts the server; <paramref name="environment"/> sets variables, or removes those set to null. Unless the
    /// arguments say otherwise, its web address is a port the OS chooses (the default 8080 would clash between tests).
    /// </summary>
    public static ServerProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tessera.Server.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (!start.ArgumentList.Contains("--web-urls"))
        {
            start.ArgumentList.Add("--web-urls");
            start.ArgumentList.Add("http://127.0.0.1:0");
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        return new ServerProcess(Process.Start(start)!);
    }

    public int ExitCode => process.ExitCode;

    /// <summary>The server's process id (the <c>dotnet</c> host runs the server in its own process), for /proc.</summary>
    public int Pid => process.Id;

    /// <summary>SIGKILL: the process ends at once, as in a crash (nothing flushed, no shutdown).</summary>
    public void Kill()
    {
        process.Kill(entireProcessTree: true);
        process.WaitForExit();
    }

    /// <summary>Waits for the process to exit by itself (a startup failure) and returns its exit code and output.</summary>
    public async Task<(int ExitCode, string Output, string Errors)> ExitAsync()
    {
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (process.ExitCode, await output, await errors);
    }

    /// <summary>Stops the process with SIGTERM and returns what it wrote.</summary>
    public async Task<(string Output, string Errors)> StopAsync()
    {
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return (await output, await errors);
    }

    /// <summary>
    /// What a server's log holds at error level or above: each <c>fail:</c> or <c>crit:</c> line with the indented
    /// lines after it (the scope line with the trace id, the message, and an exception's first line).
    /// </summary>
    public static IReadOnlyList<string> Failures(string log)
    {
        var lines = log.Split('\n');
        return [.. lines
            .Select((line, i) => (line, i))
            .Where(entry => entry.line.StartsWith("fail:", StringComparison.Ordinal) || entry.line.StartsWith("crit:", StringComparison.Ordinal))
            .Select(entry => string.Join(' ', lines.Skip(entry.i).Take(4).TakeWhile((line, n) => n == 0 || line.StartsWith(' ')).Select(line => line.Trim())))];
    }

    /// <summary>Waits until the server answers on <paramref name="address"/> (any answer but UNAVAILABLE).</summary>
    public async Task WaitUntilServingAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        var users = new UserService.UserServiceClient(channel);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            if (process.HasExited)
            {
                Assert.Fail($"the server exited with status {process.ExitCode}: {await errors}");
            }

            try
            {
                await users.SearchUsersAsync(new SearchUsersRequest { PageSize = 1 }, cancellationToken: deadline.Token);
                return;
            }
            catch (RpcException e) when (e.StatusCode == StatusCode.Unavailable && !deadline.IsCancellationRequested)
            {
                await Task.Delay(50, deadline.Token);
            }
            catch (RpcException e) when (e.StatusCode != StatusCode.Unavailable)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }
}
