using Grpc.Core;

namespace Tessera.IntegrationTests.Reliability;

/// <summary>
/// The crash-history checks' reads of what the server stored, each with a deadline and sent once more when it gets no
/// answer in time; those sent again are counted, and the test prints the count. Once, in a fresh-clone CI run, a
/// SearchUsers made right after a restart never got its response headers: the server had no call in progress and
/// answered the same search at once when asked later, and the test, whose reads had no deadline, waited until it
/// was killed. A second read that gets no answer either fails the test with DEADLINE_EXCEEDED.
/// </summary>
internal sealed class CheckReads
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private int resent;

    public int Resent => resent;

    /// <summary>Runs <paramref name="read"/> with a deadline it is given, and once more if that passes.</summary>
    public async Task<T> ReadAsync<T>(Func<DateTime, Task<T>> read)
    {
        try
        {
            return await read(DateTime.UtcNow + Deadline);
        }
        catch (RpcException e) when (e.StatusCode == StatusCode.DeadlineExceeded)
        {
            Interlocked.Increment(ref resent);
            return await read(DateTime.UtcNow + Deadline);
        }
    }
}
