namespace Tessera.Server;

/// <summary>
/// The server's settings: from the command line (<c>--urls</c>, <c>--data-dir</c>), environment
/// (<c>TESSERA_DATA_DIR</c>) or configuration (<c>Tessera:DataDir</c>).
/// </summary>
public sealed record TesseraOptions(string Urls, string DataDirectory, int MaxReceiveMessageSize)
{
    public const int DefaultMaxReceiveMessageSize = 4 * 1024 * 1024;

    public static TesseraOptions Read(IConfiguration configuration, string[] args)
    {
        var dataDir = ArgValue(args, "--data-dir")
            ?? configuration["Tessera:DataDir"]
            ?? Environment.GetEnvironmentVariable("TESSERA_DATA_DIR")
            ?? "data";
        return new TesseraOptions(
            configuration["urls"] ?? TesseraHost.DefaultUrls,
            Path.GetFullPath(dataDir, Environment.CurrentDirectory),
            DefaultMaxReceiveMessageSize);
    }

    private static string? ArgValue(string[] args, string name)
    {
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == name && i + 1 < args.Length)
            {
                return args[i + 1];
            }

            if (args[i].StartsWith(name + "=", StringComparison.Ordinal))
            {
                return args[i][(name.Length + 1)..];
            }
        }

        return null;
    }
}
