using Tessera.Cli.Import;

namespace Tessera.Cli.Tests;

public sealed class ImportProgressTests
{
    [Fact]
    public void Calls_grow_toward_the_target_time_and_stay_within_bounds()
    {
        var sizer = new ChunkSizer();
        Assert.Equal(ChunkSizer.First, sizer.Next);

        // Cheap rows (no passwords): grows fourfold a call up to the server's batch.
        sizer.Observe(50, TimeSpan.FromMilliseconds(5));
        Assert.Equal(200, sizer.Next);
        sizer.Observe(200, TimeSpan.FromMilliseconds(20));
        Assert.Equal(ChunkSizer.Max, sizer.Next);

        // Rows the server hashes a password for (~0.1 s each): about two seconds' worth a call.
        sizer.Observe(500, TimeSpan.FromSeconds(50));
        Assert.Equal(20, sizer.Next);
        sizer.Observe(20, TimeSpan.FromSeconds(60));
        Assert.Equal(ChunkSizer.Min, sizer.Next);
    }

    [Fact]
    public void A_plain_progress_line_says_what_is_done_stored_skipped_failed_the_rate_and_the_time_left()
    {
        var summary = new ImportSummary(900, 80, 10, [new ImportFailure(3, "x", "ALREADY_EXISTS", "taken")]);

        var line = PlainImportProgress.Line("people.csv", summary, 2000, TimeSpan.FromSeconds(10));

        Assert.Equal("people.csv: 991 of 2,000 rows done (980 stored, 10 skipped, 1 failed) after 10s, 99 rows/s, about 10s left", line);
        Assert.Equal("people.csv: 0 of 2,000 rows done (0 stored, 0 skipped, 0 failed) after 1m05s", PlainImportProgress.Line("people.csv", ImportSummary.Empty, 2000, TimeSpan.FromSeconds(65)));
    }
}
