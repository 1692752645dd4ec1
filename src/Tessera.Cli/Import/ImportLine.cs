using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>One user read from an import file: the request to send, or why the line cannot be sent.</summary>
internal sealed record ImportLine(int LineNumber, CreateUserRequest? Request, string Username, string? Error)
{
    public static ImportLine Ok(int lineNumber, CreateUserRequest request) => new(lineNumber, request, request.Username, null);

    public static ImportLine Bad(int lineNumber, string? username, string error) => new(lineNumber, null, username ?? "", error);
}
