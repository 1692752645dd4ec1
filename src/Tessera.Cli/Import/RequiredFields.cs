using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>The check every import line passes before it is sent: username and email are given.</summary>
internal static class RequiredFields
{
    public static ImportLine Check(int lineNumber, CreateUserRequest request)
    {
        var missing = new List<string>(2);
        if (string.IsNullOrWhiteSpace(request.Username))
        {
            missing.Add("username");
        }

        if (string.IsNullOrWhiteSpace(request.Email))
        {
            missing.Add("email");
        }

        return missing.Count == 0
            ? ImportLine.Ok(lineNumber, request)
            : ImportLine.Bad(lineNumber, request.Username, $"{string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} required");
    }
}
