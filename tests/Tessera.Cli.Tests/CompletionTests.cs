using Tessera.Cli.Commands;

namespace Tessera.Cli.Tests;

/// <summary><c>tessera completion</c>: the scripts ask tessera's own [suggest] directive, which completes commands and options.</summary>
public sealed class CompletionTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("bash", "complete -o default -F _tessera_complete tessera")]
    [InlineData("zsh", "compdef _tessera tessera")]
    [InlineData("fish", "complete -c tessera")]
    public async Task Each_shell_gets_a_script_that_asks_the_suggest_directive(string shell, string registration)
    {
        Assert.Equal(ExitCodes.Ok, await _cli.RunAsync("completion", shell));

        Assert.Contains(registration, _cli.Out.ToString(), StringComparison.Ordinal);
        Assert.Contains("[suggest:", _cli.Out.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_shell_is_a_usage_error()
    {
        Assert.Equal(ExitCodes.Usage, await _cli.RunAsync("completion", "powershell"));
    }

    [Theory]
    [InlineData("users cr", "create")]
    [InlineData("users create --us", "--username")]
    [InlineData("con", "context")]
    [InlineData("users set-password ada --req", "--require-change")]
    [InlineData("ord", "orders")]
    [InlineData("orders create --it", "--item")]
    [InlineData("products cr", "create")]
    [InlineData("stock ad", "adjust")]
    [InlineData("payments ref", "refund")]
    public async Task The_suggest_directive_the_scripts_call_completes_commands_and_options(string line, string expected)
    {
        await _cli.RunAsync($"[suggest:{line.Length}]", line);

        Assert.Contains(expected, _cli.OutLines());
    }

    [Fact]
    public void The_bash_script_passes_the_line_after_the_command_name_and_the_cursor_within_it() =>
        Assert.Contains("COMP_POINT - ${#COMP_LINE} + ${#COMP_LINE#* }", CompletionCommand.Script("bash"), StringComparison.Ordinal);
}
