using System.Globalization;
using Spectre.Console;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Output;

/// <summary><c>users watch</c> on a terminal: a table redrawn in place with the latest events, newest last.</summary>
internal static class LiveEventTable
{
    /// <summary>How many events the table keeps; older ones scroll off.</summary>
    private const int Rows = 20;

    public static async Task RunAsync(IAnsiConsole console, IAsyncEnumerable<UserEvent> events, CancellationToken cancellationToken)
    {
        var recent = new Queue<UserEvent>(Rows);
        var seen = 0L;
        await console.Live(Render(recent, seen)).AutoClear(false).StartAsync(async context =>
        {
            await foreach (var change in events.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                if (recent.Count == Rows)
                {
                    recent.Dequeue();
                }

                recent.Enqueue(change);
                seen++;
                context.UpdateTarget(Render(recent, seen));
            }
        }).ConfigureAwait(false);
    }

    private static Table Render(IEnumerable<UserEvent> recent, long seen)
    {
        var table = new Table()
            .AddColumns("Revision", "Type", "ID", "Username", "Email", "Active", "Roles")
            .Caption(seen == 0 ? "waiting for changes; Ctrl+C to stop" : $"{seen} events; Ctrl+C to stop");
        foreach (var change in recent)
        {
            var user = change.User ?? new User();
            table.AddRow(
                new Text(change.Revision.ToString(CultureInfo.InvariantCulture)),
                new Text(change.Type.ToString().ToUpperInvariant()),
                new Text(user.Id.ToString(CultureInfo.InvariantCulture)),
                new Text(user.Username),
                new Text(user.Email),
                new Text(DisplayText.YesNo(user.IsActive)),
                new Text(string.Join(", ", user.Roles)));
        }

        return table;
    }
}
