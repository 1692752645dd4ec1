using Tessera.Users;

namespace Tessera.Fuzz.Targets;

/// <summary>
/// SearchUsers' page tokens: the input is the <c>page_token</c> a client sends back, read against the fingerprint of
/// one fixed query (the committed seeds carry it); a token that reads must write back to a token that reads the same.
/// Expected: INVALID_ARGUMENT.
/// </summary>
internal sealed class PageTokenTarget : IFuzzTarget
{
    /// <summary>The fingerprint the seeds in fuzz/corpus/page-token were written with.</summary>
    public const string Fingerprint = "0123456789ABCDEF";

    public string Name => "page-token";

    public void Run(byte[] input)
    {
        if (PageTokens.Read(Samples.Text(input), Fingerprint) is { } position
            && PageTokens.Read(PageTokens.Write(position, Fingerprint), Fingerprint) != position)
        {
            throw new InvalidOperationException($"the page token of {position} does not read back as it");
        }
    }

    public bool IsExpected(Exception exception) => Samples.IsInvalidArgument(exception);
}
