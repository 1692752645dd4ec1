namespace Tessera.Fuzz.Network;

/// <summary>Whether a message a caller received carries a .NET stack trace or an exception's type name.</summary>
internal static class StackTraces
{
    public static bool Appear(string text) =>
        text.Contains("   at ", StringComparison.Ordinal)
        || text.Contains("Exception:", StringComparison.Ordinal)
        || text.Contains("System.", StringComparison.Ordinal);
}
