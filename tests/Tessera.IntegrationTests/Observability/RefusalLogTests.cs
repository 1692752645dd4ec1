using Microsoft.Extensions.Logging;
using Tessera.Server.Observability;

namespace Tessera.IntegrationTests.Observability;

/// <summary>The refusal summary: one line per caller with its count by status, and a bounded number of lines.</summary>
public sealed class RefusalLogTests
{
    [Fact]
    public void A_flush_writes_one_line_per_caller_most_refused_first_and_then_nothing_until_more_are_refused()
    {
        var (log, capture) = Create();
        for (var i = 0; i < 3; i++)
        {
            log.Record("address 10.0.0.1", "UNAUTHENTICATED");
        }

        log.Record("address 10.0.0.1", "RESOURCE_EXHAUSTED");
        log.Record("user 7", "PERMISSION_DENIED");

        log.Flush();
        log.Flush();

        Assert.Equal(
            [
                "refused 4 calls from address 10.0.0.1 in the last 1 s (UNAUTHENTICATED 3, RESOURCE_EXHAUSTED 1)",
                "refused 1 calls from user 7 in the last 1 s (PERMISSION_DENIED 1)",
            ],
            capture.Entries.Select(entry => entry.Message));
    }

    [Fact]
    public void Beyond_the_named_callers_the_rest_share_one_line()
    {
        var (log, capture) = Create();
        for (var caller = 0; caller < RefusalLog.MaxCallersNamed + 10; caller++)
        {
            log.Record($"address 10.0.{caller / 256}.{caller % 256}", "UNAUTHENTICATED");
        }

        log.Flush();

        Assert.Equal(RefusalLog.MaxCallersNamed + 1, capture.Entries.Count);
        Assert.Equal("refused 10 calls from 10 other callers in the last 1 s (UNAUTHENTICATED 10)", capture.Entries[^1].Message);
    }

    private static (RefusalLog Log, LogCapture Capture) Create()
    {
        var capture = new LogCapture("");
        using var factory = LoggerFactory.Create(logging => logging.AddProvider(capture));
        return (new RefusalLog(factory.CreateLogger<RefusalLog>(), TimeProvider.System), capture);
    }
}
