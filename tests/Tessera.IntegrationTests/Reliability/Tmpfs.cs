using System.Diagnostics;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// A small tmpfs mounted for one test (a disk that can be filled up, or made read-only, without touching the
/// machine's own disks); unmounted and removed on dispose. Needs root (CAP_SYS_ADMIN): the test command runs as root
/// on CI. <see cref="TryMountAsync"/> returns null, with the reason, where mounting is not allowed.
/// </summary>
internal sealed class Tmpfs : IAsyncDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    public static async Task<(Tmpfs? Mounted, string Why)> TryMountAsync(int megabytes)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tessera-tests", "tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var (code, errors) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0700", "tmpfs", path);
        if (code != 0)
        {
            Directory.Delete(path);
            return (null, $"mount -t tmpfs failed ({errors.Trim()}); the test needs root with CAP_SYS_ADMIN");
        }

        return (new Tmpfs(path), "");
    }

    /// <summary>Makes the file system read-only (or writable again); fails while a file on it is open for writing.</summary>
    public async Task RemountAsync(bool readOnly)
    {
        var (code, errors) = await RunAsync("mount", "-o", readOnly ? "remount,ro" : "remount,rw", Path);
        Assert.True(code == 0, $"remount of {Path} failed: {errors}");
    }

    /// <summary>Writes zeros into <paramref name="name"/> until the file system is full; returns the bytes written.</summary>
    public long Fill(string name)
    {
        // Unbuffered (bufferSize 0): a buffer left over at ENOSPC would make dispose throw.
        using var file = new FileStream(System.IO.Path.Combine(Path, name), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[64 * 1024];
        long written = 0;
        try
        {
            while (true)
            {
                file.Write(block);
                written += block.Length;
            }
        }
        catch (IOException)
        {
            // ENOSPC: full. Some of the last block may be in; the file keeps what fitted.
        }

        return written;
    }

    public async ValueTask DisposeAsync()
    {
        await RunAsync("umount", "-l", Path);
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static async Task<(int Code, string Errors)> RunAsync(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var errors = await process.StandardError.ReadToEndAsync();
        await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, errors);
    }
}
