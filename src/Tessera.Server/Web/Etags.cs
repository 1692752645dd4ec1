using Google.Protobuf;
using Google.Protobuf.Reflection;
using Microsoft.Extensions.Primitives;
using Tessera.Users;

namespace Tessera.Server.Web;

/// <summary>
/// Finds a message's <c>etag</c>: its own <c>etag</c> field, or that of the one resource it carries (the
/// <c>user</c> of an UpdateUserRequest, the <c>product</c> of a GetProductResponse).
/// </summary>
public static class Etags
{
    private const string FieldName = "etag";

    /// <summary>The etag a response carries, or null.</summary>
    public static string? Of(IMessage message)
    {
        var (owner, field) = Locate(message);
        return owner is null ? null : NullIfEmpty((string)field!.Accessor.GetValue(owner));
    }

    /// <summary>
    /// Puts the etag of an <c>If-Match</c> header into the request, so the service guards its write with it. False
    /// (nothing guarded) for <c>*</c> or a request without an etag. INVALID_ARGUMENT for a list of etags, or one that
    /// differs from an etag already in the body.
    /// </summary>
    public static bool ApplyIfMatch(IMessage request, StringValues ifMatch)
    {
        var values = ifMatch.SelectMany(value => (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (values is ["*"] or [])
        {
            return false;
        }

        if (values.Count > 1)
        {
            throw RpcErrors.InvalidArgument("If-Match", "give one etag (this resource has one version at a time)");
        }

        var etag = Unquote(values[0]);
        var (owner, field) = Locate(request);
        if (owner is null)
        {
            return false;
        }

        var inBody = (string)field!.Accessor.GetValue(owner);
        if (inBody.Length > 0 && Unquote(inBody) != etag)
        {
            throw RpcErrors.InvalidArgument("If-Match", $"says \"{etag}\" but the body's etag is \"{inBody}\"; send one of them");
        }

        field.Accessor.SetValue(owner, etag);
        return true;
    }

    /// <summary>
    /// The header value for an etag: a strong entity tag, quoted; an etag that is already an entity tag (a product's
    /// <c>"v3"</c>, AIP-154 style) goes as it is rather than quoted twice.
    /// </summary>
    public static string Header(string etag) => IsEntityTag(etag) ? etag : $"\"{etag}\"";

    private static bool IsEntityTag(string etag)
    {
        var tag = etag.StartsWith("W/", StringComparison.Ordinal) ? etag[2..] : etag;
        return tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' && tag.IndexOf('"', 1) == tag.Length - 1;
    }

    private static string Unquote(string value)
    {
        var tag = value.StartsWith("W/", StringComparison.Ordinal) ? value[2..] : value;
        return tag.Length >= 2 && tag[0] == '"' && tag[^1] == '"' ? tag[1..^1] : tag;
    }

    private static (IMessage? Owner, FieldDescriptor? Field) Locate(IMessage message)
    {
        if (EtagField(message.Descriptor) is { } own)
        {
            return (message, own);
        }

        foreach (var field in message.Descriptor.Fields.InFieldNumberOrder())
        {
            if (field.FieldType == FieldType.Message && !field.IsRepeated && !field.IsMap && EtagField(field.MessageType) is { } nested
                && field.Accessor.GetValue(message) is IMessage resource)
            {
                return (resource, nested);
            }
        }

        return (null, null);
    }

    private static FieldDescriptor? EtagField(MessageDescriptor descriptor) =>
        descriptor.FindFieldByName(FieldName) is { FieldType: FieldType.String, IsRepeated: false } field ? field : null;

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
