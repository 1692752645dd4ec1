using System.Text;
using Grpc.Core;

namespace Tessera.Cli.Output;

/// <summary>Status codes as gRPC spells them: <c>NOT_FOUND</c>, <c>INVALID_ARGUMENT</c>.</summary>
internal static class StatusNames
{
    public static string Of(StatusCode code)
    {
        var name = code.ToString();
        var result = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                result.Append('_');
            }

            result.Append(char.ToUpperInvariant(name[i]));
        }

        return result.ToString();
    }
}
