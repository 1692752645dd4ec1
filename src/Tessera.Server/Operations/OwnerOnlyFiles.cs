using System.Runtime.InteropServices;

namespace Tessera.Server.Operations;

/// <summary>
/// Sets the process's umask to 077, so every file the server creates (the SQLite database and its -wal and -shm
/// files, the JWT key, the lock file) is readable by its owner only, whoever opens it. .NET has no umask API.
/// Called once by the server process at start (not by hosts embedding the server, such as the tests).
/// </summary>
public static partial class OwnerOnlyFiles
{
    public static void Apply()
    {
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD())
        {
            _ = Umask(0b000_111_111);
        }
    }

    [LibraryImport("libc", EntryPoint = "umask")]
    private static partial uint Umask(uint mask);
}
