using System.CommandLine;
using Tessera.Cli.Commands;

namespace Tessera.Cli;

/// <summary>The <c>tessera</c> command: global options, then one command group per file under Commands/.</summary>
internal static class Program
{
    public static Task<int> Main(string[] args) => CliRunner.RunAsync(BuildRootCommand(), args);

    internal static RootCommand BuildRootCommand(GlobalOptions? globals = null)
    {
        globals ??= new GlobalOptions();
        var root = new RootCommand("tessera: the Tessera user directory from the command line");
        globals.AddTo(root);                                  // --address, --context, --output, --token, --ca, --cert, --key, --timeout
        root.Subcommands.Add(UsersCommand.Create(globals));  // users create|get|update|delete|list|search|watch|set-password|import
        root.Subcommands.Add(ProductsCommand.Create(globals)); // products list|get|create|update
        root.Subcommands.Add(StockCommand.Create(globals));  // stock check|adjust
        root.Subcommands.Add(OrdersCommand.Create(globals)); // orders create|get|list|cancel|pay
        root.Subcommands.Add(PaymentsCommand.Create(globals)); // payments get|refund
        root.Subcommands.Add(ChatCommand.Create(globals));   // chat ROOM
        root.Subcommands.Add(MonitorCommand.Create(globals)); // monitor metrics|logs
        root.Subcommands.Add(LoginCommand.Create(globals));  // login --username U [--password P|--password-stdin]
        root.Subcommands.Add(LogoutCommand.Create(globals)); // logout [--refresh-token T]
        root.Subcommands.Add(AuthCommand.Create(globals));   // auth token
        root.Subcommands.Add(PasswordCommand.Create(globals)); // password change [--password-stdin]
        root.Subcommands.Add(ContextCommand.Create(globals)); // context list|use NAME|delete NAME
        root.Subcommands.Add(CompletionCommand.Create());    // completion bash|zsh|fish
        root.Subcommands.Add(CertsCommand.Create(globals));  // certs dev [--out DIR] [--days N] [--force]
        root.Subcommands.Add(BenchCommand.Create(globals));  // bench SCENARIO [--connections N] [--concurrency N] [--duration S|--count N] [--json]
        return root;
    }
}
