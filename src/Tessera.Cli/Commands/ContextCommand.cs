using System.CommandLine;
using System.Text.Json.Nodes;
using Spectre.Console;
using Tessera.Cli.Config;
using Tessera.Cli.Output;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera context list|use NAME|delete NAME</c>: the saved servers and sign-ins, like kubectl's contexts.</summary>
internal static class ContextCommand
{
    public static Command Create(GlobalOptions globals)
    {
        var list = new Command("list", "Show the saved contexts; * marks the current one");
        list.SetAction(parse => Run(parse, globals, (store, config, output) =>
        {
            var format = parse.GetValue(globals.Output);
            if (format != OutputFormat.Table)
            {
                var contexts = new JsonArray();
                foreach (var (name, saved) in config.Contexts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
                {
                    contexts.Add(new JsonObject
                    {
                        ["name"] = name,
                        ["current"] = name == config.CurrentContext,
                        ["address"] = saved.Address ?? "",
                        ["username"] = saved.Username ?? "",
                        ["signedIn"] = saved.SignedIn,
                    });
                }

                var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
                output.WriteLine(DataPrinter.Format(new JsonObject { ["contexts"] = contexts }, format, terminal));
                return ExitCodes.Ok;
            }

            if (config.Contexts.Count == 0)
            {
                output.WriteLine($"no saved contexts yet ({store.Path}); 'tessera login' saves one");
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("", "Name", "Address", "User");
            foreach (var (name, saved) in config.Contexts.OrderBy(kv => kv.Key, StringComparer.Ordinal))
            {
                table.AddRow(
                    new Text(name == config.CurrentContext ? "*" : ""),
                    new Text(name),
                    new Text(saved.Address ?? ""),
                    new Text(saved.SignedIn ? saved.Username ?? $"user {saved.UserId}" : "(signed out)"));
            }

            PlainConsole(output).Write(table);
            return ExitCodes.Ok;
        }));

        var useName = new Argument<string>("name") { Description = "The context to use from now on" };
        var use = new Command("use", "Make NAME the current context") { useName };
        use.SetAction(parse => Run(parse, globals, (store, config, output) =>
        {
            var name = parse.GetRequiredValue(useName);
            if (!config.Contexts.ContainsKey(name))
            {
                throw new CliException($"no context named '{name}'; 'tessera login --context {name}' creates it");
            }

            store.Save(config with { CurrentContext = name });
            output.WriteLine($"now using context {name}");
            return ExitCodes.Ok;
        }));

        var deleteName = new Argument<string>("name") { Description = "The context to forget" };
        var delete = new Command("delete", "Forget NAME and its saved sign-in (run 'tessera logout --context NAME' first to revoke it on the server)") { deleteName };
        delete.SetAction(parse => Run(parse, globals, (store, config, output) =>
        {
            var name = parse.GetRequiredValue(deleteName);
            if (!config.Contexts.Remove(name))
            {
                throw new CliException($"no context named '{name}'");
            }

            store.Save(config.CurrentContext == name ? config with { CurrentContext = CliConfig.DefaultContext } : config);
            output.WriteLine($"deleted context {name}");
            return ExitCodes.Ok;
        }));

        return new Command("context", "Saved servers and sign-ins: list, use, delete") { list, use, delete };
    }

    private static int Run(ParseResult parse, GlobalOptions globals, Func<ConfigStore, CliConfig, TextWriter, int> action)
    {
        var invocation = parse.InvocationConfiguration;
        try
        {
            var store = globals.Config();
            return action(store, store.Load(), invocation.Output);
        }
        catch (CliException e)
        {
            ErrorPrinter.Write(invocation.Error, e.Message, parse.GetValue(globals.Output));
            return ExitCodes.Failed;
        }
    }

    private static IAnsiConsole PlainConsole(TextWriter output) => ReferenceEquals(output, Console.Out)
        ? AnsiConsole.Console
        : AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No });
}
