using Google.Protobuf;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Import;

/// <summary>
/// Users from JSON Lines: one CreateUserRequest object a line in proto3 JSON (<c>username</c>, <c>email</c>,
/// <c>full_name</c> or <c>fullName</c>, <c>password</c>, <c>roles</c> as an array). Blank lines are skipped;
/// a line that is not such an object is reported with its number.
/// </summary>
internal static class UserJsonLinesReader
{
    public static IEnumerable<ImportLine> Read(TextReader reader)
    {
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            yield return Parse(lineNumber, line);
        }
    }

    private static ImportLine Parse(int lineNumber, string line)
    {
        CreateUserRequest request;
        try
        {
            request = JsonParser.Default.Parse<CreateUserRequest>(line);
        }
        catch (Exception e) when (e is InvalidJsonException or InvalidProtocolBufferException or FormatException)
        {
            return ImportLine.Bad(lineNumber, null, $"not a user object: {e.Message}");
        }

        return RequiredFields.Check(lineNumber, request);
    }
}
