using Tessera.Contracts.Monitoring.V1;
using Tessera.Monitoring.Logs;

namespace Tessera.Monitoring.Tests;

public sealed class LogBufferTests
{
    private static readonly LogFilter All = new(LogLevel.Trace, "", "", "");

    private static LogEntry Entry(string message, LogLevel level = LogLevel.Information, string category = "Tessera.Users.X") =>
        new() { Message = message, Level = level, Category = category, ServiceName = ServiceNames.OfCategory(category) };

    [Fact]
    public async Task A_full_reader_loses_its_oldest_entries_and_the_next_one_says_how_many()
    {
        var buffer = new LogBuffer(capacity: 100, readerCapacity: 3);
        using var reader = buffer.Subscribe(All, backlog: 0);
        for (var i = 0; i < 10; i++)
        {
            buffer.Write(Entry($"m{i}"));
        }

        var first = await reader.ReadAsync(CancellationToken.None);
        Assert.Equal("m7", first!.Message);
        Assert.Equal(7, first.DroppedBefore);
        Assert.Equal(0, (await reader.ReadAsync(CancellationToken.None))!.DroppedBefore);
    }

    [Fact]
    public async Task The_ring_keeps_only_the_newest_and_the_backlog_replays_matching_ones_in_order()
    {
        var buffer = new LogBuffer(capacity: 5, readerCapacity: 10);
        for (var i = 0; i < 12; i++)
        {
            buffer.Write(Entry($"m{i}", i % 2 == 0 ? LogLevel.Warning : LogLevel.Information));
        }

        buffer.Complete();
        using var reader = buffer.Subscribe(new LogFilter(LogLevel.Warning, "", "", ""), backlog: 10);
        var read = new List<string>();
        while (await reader.ReadAsync(CancellationToken.None) is { } entry)
        {
            read.Add(entry.Message);
        }

        Assert.Equal(["m8", "m10"], read);
    }

    [Fact]
    public async Task Concurrent_writers_lose_nothing_but_what_is_counted()
    {
        var buffer = new LogBuffer(capacity: 1000, readerCapacity: 500);
        using var reader = buffer.Subscribe(All, backlog: 0);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 2500; i++)
            {
                buffer.Write(Entry($"w{w}-{i}"));
            }
        })));
        buffer.Complete();
        long received = 0, dropped = 0;
        while (await reader.ReadAsync(CancellationToken.None) is { } entry)
        {
            received++;
            dropped += entry.DroppedBefore;
        }

        Assert.Equal(10_000, received + dropped);
        Assert.Equal(10_000, buffer.Written);
    }

    [Fact]
    public void Filters_match_level_category_service_and_text_in_any_case()
    {
        var entry = Entry("Order 42 Failed", LogLevel.Warning, "Tessera.Commerce.Orders.Saga");
        Assert.True(new LogFilter(LogLevel.Warning, "Tessera.Commerce", "orders", "failed").Matches(entry));
        Assert.False(new LogFilter(LogLevel.Error, "", "", "").Matches(entry));
        Assert.False(new LogFilter(LogLevel.Trace, "Tessera.Users", "", "").Matches(entry));
        Assert.False(new LogFilter(LogLevel.Trace, "", "users", "").Matches(entry));
        Assert.False(new LogFilter(LogLevel.Trace, "", "", "succeeded").Matches(entry));
    }
}
