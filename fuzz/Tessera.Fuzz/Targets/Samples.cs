using System.Text;
using Grpc.Core;
using Tessera.Users;

namespace Tessera.Fuzz.Targets;

/// <summary>What several targets share: a stored user to evaluate and update, and how inputs become text.</summary>
internal static class Samples
{
    public static readonly UserRecord User = new(
        42,
        "alice.smith",
        "alice@example.com",
        "Alice Smith",
        true,
        ["admin", "editor"],
        new Dictionary<string, string>(StringComparer.Ordinal) { ["team"] = "blue" },
        "Ali",
        new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero),
        new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero),
        7);

    public static readonly UserRecord Inactive = User with { Id = 7, Username = "Bob", IsActive = false, Roles = [], Nickname = null };

    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    /// <summary>The input as a server or reader sees text: UTF-8, invalid sequences replaced.</summary>
    public static string Text(byte[] input) => Utf8.GetString(input);

    /// <summary>A gRPC INVALID_ARGUMENT: how Tessera refuses bad input to a call.</summary>
    public static bool IsInvalidArgument(Exception exception) =>
        exception is RpcException { StatusCode: StatusCode.InvalidArgument };
}
