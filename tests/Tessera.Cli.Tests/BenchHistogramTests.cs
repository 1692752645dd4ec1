using Tessera.Cli.Bench;

namespace Tessera.Cli.Tests;

public sealed class BenchHistogramTests
{
    [Fact]
    public void Small_latencies_are_exact_and_percentiles_use_the_nearest_rank()
    {
        var histogram = new LatencyHistogram();
        for (var micros = 1; micros <= 100; micros++)
        {
            histogram.Record(micros);
        }

        Assert.Equal(100, histogram.Count);
        Assert.Equal(50, histogram.Percentile(50));
        Assert.Equal(90, histogram.Percentile(90));
        Assert.Equal(99, histogram.Percentile(99));
        Assert.Equal(100, histogram.Percentile(100));
        Assert.Equal(1, histogram.Percentile(0));
        Assert.Equal(50.5, histogram.Mean);
    }

    [Theory]
    [InlineData(130)]
    [InlineData(1_234)]
    [InlineData(87_654)]
    [InlineData(12_345_678)]
    public void Large_latencies_are_reported_within_two_percent(long micros)
    {
        var histogram = new LatencyHistogram();
        histogram.Record(1);
        histogram.Record(micros);
        histogram.Record(micros * 4);

        var p50 = histogram.Percentile(50);

        Assert.InRange(p50, micros, micros * 1.02);
        Assert.Equal(micros * 4, histogram.Percentile(100));
    }

    [Fact]
    public void Every_bucket_holds_the_values_below_its_upper_edge()
    {
        for (long micros = 0; micros < 1_000_000; micros += 7)
        {
            var index = LatencyHistogram.IndexOf(micros);
            Assert.True(LatencyHistogram.UpperEdge(index) >= micros, $"{micros} is above the edge of its bucket {index}");
            Assert.True(index == 0 || LatencyHistogram.UpperEdge(index - 1) < micros, $"{micros} belongs in an earlier bucket than {index}");
        }
    }

    [Fact]
    public void Merged_histograms_count_everything_and_keep_the_percentiles_ordered()
    {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var i = 0; i < 900; i++)
        {
            fast.Record(200 + i);
        }

        for (var i = 0; i < 100; i++)
        {
            slow.Record(50_000 + (i * 100));
        }

        fast.Add(slow);

        Assert.Equal(1000, fast.Count);
        Assert.Equal(59_900, fast.Max);
        Assert.True(fast.Percentile(50) <= fast.Percentile(90));
        Assert.True(fast.Percentile(90) < fast.Percentile(99));
        Assert.InRange(fast.Percentile(99), 58_900, 58_900 * 1.02);
        Assert.True(fast.Percentile(99) <= fast.Max);
    }

    [Fact]
    public void An_empty_histogram_reports_zero_and_a_bad_percentile_is_refused()
    {
        var histogram = new LatencyHistogram();

        Assert.Equal(0, histogram.Percentile(99));
        Assert.Equal(new LatencySummary(0, 0, 0, 0, 0), LatencySummary.From(histogram));
        Assert.Throws<ArgumentOutOfRangeException>(() => histogram.Percentile(101));
    }
}
