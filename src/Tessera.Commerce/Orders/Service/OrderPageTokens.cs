using Tessera.Commerce.Orders.Storage;
using Tessera.Users;
using Tessera.Users.Storage;

namespace Tessera.Commerce.Orders.Service;

/// <summary>
/// ListOrders' opaque page tokens (AIP-158): where the page ended and a fingerprint of the query (whose orders, which
/// state). A token grants nothing: every page is checked against the caller again.
/// </summary>
internal static class OrderPageTokens
{
    public static string Write(OrderRecord last, string fingerprint) =>
        PageTokens.Encode(new Token(fingerprint, StoreTime.ToMicros(last.CreatedAt), last.OrderId));

    public static OrderPosition? Read(string token, string fingerprint)
    {
        if (token.Length == 0)
        {
            return null;
        }

        var parsed = PageTokens.Decode<Token>(token);
        return parsed is not null && parsed.Q == fingerprint && parsed.O is not null
            ? new OrderPosition(StoreTime.FromMicros(parsed.C), parsed.O)
            : throw OrderErrors.Invalid(("page_token", "is not a token from a previous ListOrders with the same user_id, all_users and state"));
    }

    private sealed record Token(string Q, long C, string? O);
}
