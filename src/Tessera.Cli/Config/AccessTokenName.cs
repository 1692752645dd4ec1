using System.Buffers.Text;
using System.Text.Json;

namespace Tessera.Cli.Config;

/// <summary>
/// The username in an access token (its JWT <c>name</c> claim), read without checking the signature: only to show
/// and compare names the way the server will see them, never to decide access.
/// </summary>
internal static class AccessTokenName
{
    public static string? Of(string? accessToken)
    {
        if (accessToken?.Split('.') is not [_, var payload, _])
        {
            return null;
        }

        try
        {
            using var claims = JsonDocument.Parse(Base64Url.DecodeFromChars(payload));
            return claims.RootElement.ValueKind == JsonValueKind.Object
                && claims.RootElement.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String
                ? name.GetString()
                : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
