namespace Tessera.Server.Operations;

/// <summary>
/// The data directory, held for the server's lifetime: created mode 0700 (an existing one is narrowed to 0700 and
/// its files to 0600, since they hold password and token hashes), and locked through an exclusive lock on
/// <c>tessera.lock</c> in it, so a second server on the same directory refuses to start instead of sharing it.
/// </summary>
public sealed class DataDirectory : IDisposable
{
    public const string LockFileName = "tessera.lock";

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly FileStream lockFile;

    private DataDirectory(string path, FileStream lockFile)
    {
        Path = path;
        this.lockFile = lockFile;
    }

    public string Path { get; }

    /// <summary>Creates (or narrows) and locks the directory; a StartupException says in one line why it cannot.</summary>
    public static DataDirectory Open(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                Directory.CreateDirectory(path, DirectoryMode);
                RestrictToOwner(path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StartupException($"cannot use the data directory {path}: {e.Message} Choose another with --data-dir.", e);
        }

        return new DataDirectory(path, Lock(path));
    }

    public void Dispose() => lockFile.Dispose();

    private static FileStream Lock(string path)
    {
        var lockPath = System.IO.Path.Combine(path, LockFileName);
        var options = new FileStreamOptions { Mode = System.IO.FileMode.OpenOrCreate, Access = FileAccess.ReadWrite, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = FileMode;
        }

        try
        {
            // FileShare.None takes an exclusive advisory lock (flock) on Unix, released when the process ends.
            return new FileStream(lockPath, options);
        }
        catch (IOException e) when (HeldByAnother(e))
        {
            throw new StartupException($"the data directory {path} is in use by another tessera-server (it holds {lockPath}); stop that one or choose another directory with --data-dir", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A read-only file system, a full disk, a file the server may not open: its own message says which.
            throw new StartupException($"cannot use the data directory {path}: {e.Message} Choose another with --data-dir.", e);
        }
    }

    /// <summary>
    /// Whether opening the lock file failed because another process holds its lock. .NET puts the error in HResult:
    /// flock's EWOULDBLOCK on Unix (11 on Linux, 35 on macOS), ERROR_SHARING_VIOLATION on Windows.
    /// </summary>
    private static bool HeldByAnother(IOException e) => e.HResult is 11 or 35 or unchecked((int)0x80070020);

    /// <summary>Narrows a directory made by an older build (or by hand) to its owner: the directory 0700, its files 0600.</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static void RestrictToOwner(string path)
    {
        if ((File.GetUnixFileMode(path) & ~DirectoryMode) != 0)
        {
            File.SetUnixFileMode(path, DirectoryMode);
        }

        foreach (var file in Directory.EnumerateFiles(path))
        {
            if ((File.GetUnixFileMode(file) & ~FileMode) != 0)
            {
                File.SetUnixFileMode(file, FileMode);
            }
        }
    }
}
