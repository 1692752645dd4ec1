using System.CommandLine;

namespace Tessera.Cli.Commerce;

/// <summary>Checks an option's values while the command line is parsed, so a bad value is a usage error and nothing is called.</summary>
internal static class OptionChecks
{
    /// <summary>Runs <paramref name="check"/> on each value given; its <see cref="CliException"/> becomes a parse error.</summary>
    public static TOption CheckedBy<TOption>(this TOption option, Action<string> check)
        where TOption : Option
    {
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    check(token.Value);
                }
                catch (CliException e)
                {
                    result.AddError(e.Message);
                }
            }
        });
        return option;
    }
}
