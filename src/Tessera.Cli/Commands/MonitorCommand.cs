using System.CommandLine;
using Google.Protobuf.WellKnownTypes;
using Spectre.Console;
using Tessera.Cli.Output;
using Tessera.Contracts.Monitoring.V1;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera monitor metrics|logs</c>: the server's live metrics and logs (admins only).</summary>
internal static class MonitorCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var monitor = new Command("monitor", "Follow the server's live metrics and logs (needs the admin role)");
        monitor.Subcommands.Add(MetricsCommand(globals));
        monitor.Subcommands.Add(LogsCommand(globals));
        return monitor;
    }

    private static Option<string?> ServiceOption() => new("--service")
    {
        Description = "Only this service: users, inventory, payments, orders, monitoring or process",
    };

    private static Command MetricsCommand(GlobalOptions globals)
    {
        var interval = new Option<double>("--interval") { Description = "Seconds between updates, 0.1-3600", DefaultValueFactory = _ => 1 };
        var service = ServiceOption();
        var metric = new Option<string[]>("--metric")
        {
            Description = "Only these metrics: exact names (e.g. grpc.requests.rate) or prefixes ending in '*' (repeatable)",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("metrics", "A live table of the server's metrics until Ctrl+C (a line a metric when piped)") { interval, service, metric };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new StreamMetricsRequest
            {
                Interval = Duration.FromTimeSpan(TimeSpan.FromSeconds(parse.GetValue(interval))),
                ServiceName = parse.GetValue(service) ?? "",
                MetricNames = { parse.GetValue(metric) ?? [] },
            };
            var metrics = session.Client.StreamMetricsAsync(request, cancellationToken);
            try
            {
                if (session.Printer.IsData)
                {
                    await foreach (var data in metrics.ConfigureAwait(false))
                    {
                        session.Printer.WriteItem(data);
                    }
                }
                else if (session.OutIsTerminal)
                {
                    await LiveMetricsTable.RunAsync(session.Console, metrics, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    await foreach (var data in metrics.ConfigureAwait(false))
                    {
                        foreach (var (name, value) in data.Metrics.OrderBy(pair => pair.Key, StringComparer.Ordinal))
                        {
                            await session.Out.WriteLineAsync(LiveMetricsTable.Line(data, name, value)).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how following ends.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static Command LogsCommand(GlobalOptions globals)
    {
        var level = new Option<LogLevel>("--level")
        {
            Description = "Entries at this level or above",
            DefaultValueFactory = _ => LogLevel.Information,
            CustomParser = result => ParseLevel(result.Tokens.Single().Value),
        };
        var grep = new Option<string?>("--grep") { Description = "Only entries whose message contains this text (any case)" };
        var category = new Option<string?>("--category") { Description = "Only categories starting with this, e.g. Tessera.Commerce" };
        var service = ServiceOption();
        var backlog = new Option<int>("--backlog") { Description = "First show up to this many recent entries (at most 10000)" };
        var command = new Command("logs", "Follow the server's logs until Ctrl+C") { level, grep, category, service, backlog };
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var request = new StreamLogsRequest
            {
                MinLevel = parse.GetValue(level),
                Contains = parse.GetValue(grep) ?? "",
                Category = parse.GetValue(category) ?? "",
                ServiceName = parse.GetValue(service) ?? "",
                Backlog = parse.GetValue(backlog),
            };
            try
            {
                await foreach (var entry in session.Client.StreamLogsAsync(request, cancellationToken).ConfigureAwait(false))
                {
                    if (session.Printer.IsData)
                    {
                        session.Printer.WriteItem(entry);
                    }
                    else if (session.OutIsTerminal)
                    {
                        session.Console.MarkupLine(LogView.Markup(entry));
                    }
                    else
                    {
                        await session.Out.WriteLineAsync(LogView.Plain(entry)).ConfigureAwait(false);
                    }
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Ctrl+C is how following ends.
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    private static LogLevel ParseLevel(string value) => value.ToLowerInvariant() switch
    {
        "trace" => LogLevel.Trace,
        "debug" => LogLevel.Debug,
        "info" or "information" => LogLevel.Information,
        "warn" or "warning" => LogLevel.Warning,
        "error" => LogLevel.Error,
        "critical" => LogLevel.Critical,
        _ => throw new CliException($"--level must be trace, debug, information, warning, error or critical, not '{value}'"),
    };
}
