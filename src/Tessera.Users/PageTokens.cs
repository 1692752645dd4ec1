using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Tessera.Users.Storage;

namespace Tessera.Users;

/// <summary>
/// Opaque page tokens (AIP-158): the position after the last user of a page and a fingerprint of the query.
/// A token only says where to continue; it grants nothing, since every page is filtered again.
/// </summary>
internal static class PageTokens
{
    public static string Write(UserPosition position, string fingerprint) => Encode(new Token(fingerprint, position.SortValue, position.Id));

    public static UserPosition? Read(string token, string fingerprint)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var parsed = Decode<Token>(token);
        if (parsed is null || parsed.Q != fingerprint || parsed.V is null)
        {
            throw RpcErrors.InvalidArgument("page_token", "is not a token from a previous search with the same filter and order_by");
        }

        return new UserPosition(parsed.V, parsed.I);
    }

    /// <summary>Any token record as an opaque page token: its JSON in base64url.</summary>
    public static string Encode<TToken>(TToken token) => Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(token));

    /// <summary>The token record in <paramref name="token"/>, or null when it is not one (not base64url, not its JSON).</summary>
    public static TToken? Decode<TToken>(string token)
        where TToken : class
    {
        try
        {
            return JsonSerializer.Deserialize<TToken>(Base64Url.DecodeFromChars(token));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }

    private sealed record Token(string Q, string? V, long I);
}
