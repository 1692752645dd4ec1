namespace Tessera.Fuzz;

/// <summary>One piece of Tessera code fed arbitrary bytes.</summary>
public interface IFuzzTarget
{
    /// <summary>The name scripts/fuzz-tests and the corpus folder (fuzz/corpus/NAME) use.</summary>
    string Name { get; }

    /// <summary>Feeds <paramref name="input"/> to the real code, the way its callers do.</summary>
    void Run(byte[] input);

    /// <summary>True for the exceptions the code documents for bad input (a refusal, not a bug).</summary>
    bool IsExpected(Exception exception);
}
