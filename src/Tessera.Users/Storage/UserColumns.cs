using System.Text.Json;

namespace Tessera.Users.Storage;

/// <summary>
/// The <c>users</c> table as both engines lay it out (their schemas mirror each other): the columns a
/// <see cref="UserRecord"/> is read from, in order, the sort keys of listing, and the metadata column's JSON.
/// </summary>
internal static class UserColumns
{
    public const string Selected =
        "id, username, email, full_name, nickname, is_active, roles, metadata, created_at, updated_at, version";

    /// <summary>The column a listing sorts by: the folded key for text, so order is by code point on both engines.</summary>
    public static string SortColumn(UserOrderField field) => field switch
    {
        UserOrderField.Username => "username_key",
        UserOrderField.Email => "email_key",
        UserOrderField.CreatedAt => "created_at",
        _ => "id",
    };

    /// <summary>The ORDER BY of a listing: its sort column, then the id as the tie-breaker, both in its direction.</summary>
    public static string OrderBy(UserOrder order)
    {
        var direction = order.Descending ? "DESC" : "ASC";
        return order.Field == UserOrderField.Id ? $"id {direction}" : $"{SortColumn(order.Field)} {direction}, id {direction}";
    }

    /// <summary>Most users have no metadata; those skip the JSON parser.</summary>
    public static Dictionary<string, string> ReadMetadata(string json) =>
        json == "{}" ? [] : JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
}
