using System.Globalization;
using Tessera.Client;
using Tessera.Contracts.User.V1;

namespace Tessera.Cli.Editing;

/// <summary>A user named on the command line: by id (all digits) or by username or email.</summary>
internal static class UserReference
{
    /// <summary>The user <paramref name="reference"/> names; NOT_FOUND (as the server words it for ids) when none.</summary>
    public static async Task<User> GetAsync(TesseraClient client, string reference, CancellationToken cancellationToken)
    {
        if (long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return await client.GetUserAsync(id, cancellationToken).ConfigureAwait(false);
        }

        // Usernames and emails never hold a quote or backslash, so such a reference names nobody.
        if (reference.Length == 0 || reference.Contains('"', StringComparison.Ordinal) || reference.Contains('\\', StringComparison.Ordinal))
        {
            throw NotFound(reference);
        }

        var field = reference.Contains('@', StringComparison.Ordinal) ? "email" : "username";
        var page = await client.SearchUsersAsync(new SearchUsersRequest { Filter = $"{field} = \"{reference}\"", PageSize = 1 }, cancellationToken).ConfigureAwait(false);
        return page.Users.FirstOrDefault() ?? throw NotFound(reference);
    }

    /// <summary>The id of the user <paramref name="reference"/> names, asking the server only for a username or email.</summary>
    public static async Task<long> IdAsync(TesseraClient client, string reference, CancellationToken cancellationToken) =>
        long.TryParse(reference, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : (await GetAsync(client, reference, cancellationToken).ConfigureAwait(false)).Id;

    private static NotFoundException NotFound(string reference) =>
        new($"no user has the username or email '{reference}'", new TesseraErrorDetails("USER_NOT_FOUND", null, new Dictionary<string, string>(), []));
}
