namespace Tessera.Users.Filtering;

/// <summary>A filter that cannot be parsed; <see cref="Position"/> is the zero-based character offset of the problem.</summary>
public sealed class FilterSyntaxException(string message, int position)
    : Exception($"{message} (at position {position})")
{
    public int Position { get; } = position;
}
