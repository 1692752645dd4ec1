using System.Globalization;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Tessera.Contracts;

/// <summary>
/// Status codes as the gRPC specification spells them (<c>NOT_FOUND</c>), taken from <c>google.rpc.Code</c>'s own
/// descriptor: the one source for metric labels, logs, bulk and sync results and the CLI's error lines.
/// </summary>
public static class StatusCodeNames
{
    private static readonly string[] Names = [.. Enumerable.Range(0, 17).Select(NameFromDescriptor)];

    /// <summary>The canonical name, e.g. <c>ALREADY_EXISTS</c>; <c>UNKNOWN</c> for a number that is not a code.</summary>
    public static string Name(this StatusCode code) => (uint)code < (uint)Names.Length ? Names[(int)code] : Names[(int)StatusCode.Unknown];

    /// <summary>The name for a <c>grpc-status</c> header or trailer value; <c>UNKNOWN</c> for anything that is not a code.</summary>
    public static string Parse(string? value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var code) ? ((StatusCode)code).Name() : Names[(int)StatusCode.Unknown];

    private static string NameFromDescriptor(int number) =>
        Google.Rpc.CodeReflection.Descriptor.FindTypeByName<EnumDescriptor>("Code").FindValueByNumber(number)?.Name
        ?? throw new InvalidOperationException($"google.rpc.Code has no value {number}");
}
