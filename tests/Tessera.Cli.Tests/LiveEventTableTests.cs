using Spectre.Console;
using Tessera.Cli.Output;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Tests;

/// <summary><c>users watch</c>'s live table (drawn on a terminal): the latest events, newest last, and a count.</summary>
public sealed class LiveEventTableTests
{
    [Fact]
    public async Task The_table_keeps_the_latest_twenty_events_and_counts_them_all()
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        var events = Enumerable.Range(1, 25).Select(i => new UserEvent
        {
            Revision = 100 + i,
            Type = UserEvent.Types.EventType.Created,
            User = new User { Id = i, Username = $"user{i:00}", Email = $"user{i:00}@example.com" },
        }).ToAsyncEnumerable();

        await LiveEventTable.RunAsync(console, events, CancellationToken.None);

        var finalTable = output.ToString()[output.ToString().LastIndexOf("Revision", StringComparison.Ordinal)..];
        Assert.Contains("user25", finalTable, StringComparison.Ordinal);
        Assert.Contains("user06", finalTable, StringComparison.Ordinal);
        Assert.DoesNotContain("user05", finalTable, StringComparison.Ordinal);
        Assert.Contains("25 events", finalTable, StringComparison.Ordinal);
        Assert.True(finalTable.IndexOf("user24", StringComparison.Ordinal) < finalTable.IndexOf("user25", StringComparison.Ordinal));
    }
}
