using Tessera.Fuzz.Targets;

namespace Tessera.Fuzz;

/// <summary>The fuzz targets by name, and the rule every run follows: a target's expected exceptions are answers, anything else is a crash.</summary>
public static class FuzzTargets
{
    public static IReadOnlyDictionary<string, IFuzzTarget> All { get; } = new IFuzzTarget[]
    {
        new FilterTarget(),
        new FieldMaskTarget(),
        new PageTokenTarget(),
        new CsvImportTarget(),
        new JsonLinesImportTarget(),
        new JwtTarget(),
        new RequestTarget(),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Runs one input; an exception the target does not expect escapes (afl-fuzz records it as a crash).</summary>
    public static void RunOne(IFuzzTarget target, byte[] input)
    {
        try
        {
            target.Run(input);
        }
        catch (Exception e) when (target.IsExpected(e))
        {
            // A documented refusal of bad input, not a crash.
        }
    }
}
