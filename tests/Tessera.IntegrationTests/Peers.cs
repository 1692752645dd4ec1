namespace Tessera.IntegrationTests;

/// <summary>Outside programs some tests need. Missing ones skip the test, except under CI=true, where they fail it.</summary>
internal static class Peers
{
    public static bool InCi => Environment.GetEnvironmentVariable("CI") == "true";

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Tessera.slnx")))
            {
                directory = directory.Parent;
            }

            return directory?.FullName ?? throw new InvalidOperationException("cannot find the repository root (Tessera.slnx)");
        }
    }

    /// <summary>The path of a peer, or a skip (a failure under CI) that says how to get it.</summary>
    public static string Require(string path, string howToGet)
    {
        if (File.Exists(path))
        {
            return path;
        }

        var message = $"{path} is missing; {howToGet}";
        Assert.False(InCi, $"CI=true and a test peer is missing: {message}");
        Skip.If(true, message);
        return path;
    }

    public static string Buf => Require(Path.Combine(RepositoryRoot, ".tools", "node_modules", ".bin", "buf"), "run scripts/test once (it installs @bufbuild/buf into .tools/ with npm)");
}
