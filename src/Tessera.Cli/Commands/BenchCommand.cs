using System.CommandLine;
using Tessera.Cli.Bench;
using Tessera.Cli.Bench.Scenarios;

namespace Tessera.Cli.Commands;

/// <summary>
/// <c>tessera bench SCENARIO</c>: a load generator in the spirit of ghz. One channel per connection, reused;
/// closed-loop workers; a warm-up; requests/s, latency percentiles and errors by status code (or <c>--json</c>).
/// </summary>
internal static class BenchCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var options = new BenchOptions();
        var command = new Command("bench", "Load the server and report requests/s, latency percentiles and errors (see bench/README.md)");
        options.AddTo(command);
        command.SetSessionAction(globals, async (session, parse, cancellationToken) =>
        {
            var settings = options.Read(parse);
            var clientOptions = session.ClientOptions;
            var token = session.Client.AccessToken; // the saved sign-in's, refreshed by the session if it was about to expire
            if (settings.Login is { } login)
            {
                token = (await session.Client.LoginAsync(login, settings.Password!, cancellationToken).ConfigureAwait(false)).AccessToken;
            }

            using var connections = new BenchConnections(clientOptions, settings.Connections, token);
            await connections.ConnectAsync(cancellationToken).ConfigureAwait(false);
            using var writeConnections = settings.WriteAddress is { } writeAddress ? new BenchConnections(clientOptions.WithAddress(writeAddress), 1, token) : null;
            var report = await RunAsync(settings, connections, clientOptions.Address, cancellationToken, writeConnections).ConfigureAwait(false);
            await ReportPrinter.WriteAsync(report, settings.Json || session.Format == OutputFormat.Json, session.Out, session.Error).ConfigureAwait(false);
            return report.Errors == 0 ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    internal static async Task<BenchReport> RunAsync(
        BenchSettings settings, BenchConnections connections, string address, CancellationToken cancellationToken, BenchConnections? writeConnections = null)
    {
        switch (settings.Scenario)
        {
            case BenchScenario.HashRate:
                return await UnaryScenarios.HashRateAsync(settings, connections, address, cancellationToken).ConfigureAwait(false);
            case BenchScenario.Watch or BenchScenario.WatchIdle:
                return await WatchScenario.RunAsync(settings, connections, writeConnections ?? connections, address, settings.Scenario == BenchScenario.WatchIdle, cancellationToken).ConfigureAwait(false);
            case BenchScenario.CreateOrder:
                var buyer = await CreateOrderScenario.PrepareAsync(connections, cancellationToken).ConfigureAwait(false);
                return await LoadRunner.RunAsync(settings, connections, address, buyer, cancellationToken).ConfigureAwait(false);
            case BenchScenario.Chat:
                await using (var chat = new ChatScenario(settings, connections))
                {
                    return await LoadRunner.RunAsync(settings, connections, address, chat.RoundTripAsync, cancellationToken).ConfigureAwait(false);
                }

            default:
                var operation = settings.Scenario switch
                {
                    BenchScenario.GetUser => UnaryScenarios.GetUser(settings, connections),
                    BenchScenario.Noop => UnaryScenarios.Noop(settings, connections),
                    BenchScenario.CreateUser => UnaryScenarios.CreateUser(settings, connections),
                    BenchScenario.BulkCreate => StreamScenarios.BulkCreate(settings, connections),
                    BenchScenario.ListUsers => StreamScenarios.ListUsers(settings, connections),
                    _ => throw new CliException($"scenario {settings.Scenario} has no runner"),
                };
                return await LoadRunner.RunAsync(settings, connections, address, operation, cancellationToken).ConfigureAwait(false);
        }
    }
}
