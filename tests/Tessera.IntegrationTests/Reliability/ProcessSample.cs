using System.Globalization;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>What a process holds at one moment, read from /proc: resident memory, threads and open file descriptors.</summary>
internal readonly record struct ProcessSample(long RssKb, int Threads, int Fds)
{
    public double RssMb => RssKb / 1024.0;

    public static ProcessSample Of(int pid)
    {
        long rss = 0;
        var threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.AsSpan(6).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.AsSpan(8).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return new ProcessSample(rss, threads, Directory.GetFiles($"/proc/{pid}/fd").Length);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"RSS {RssMb:0.0} MB, {Threads} threads, {Fds} fds");
}
