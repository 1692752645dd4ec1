using System.Globalization;
using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Routing;

namespace Tessera.Server.Web;

/// <summary>
/// Checks a REST request's route values and query parameters against the request message: a parameter the message
/// has no field for, or a value that is not of the field's kind (<c>/v1/users/abc</c>), is named in a 400 instead of
/// being ignored or answered with a bare parse error.
/// </summary>
public static class RestParameters
{
    /// <summary>The first problem as (field, message), or null when every parameter fits.</summary>
    public static (string Field, string Problem)? Check(HttpRequest request, MethodDescriptor method)
    {
        foreach (var (name, value) in request.RouteValues)
        {
            if (Resolve(method.InputType, name) is { } field && value is string text && Problem(field, name, text) is { } problem)
            {
                return (name, problem);
            }
        }

        foreach (var (name, values) in request.Query)
        {
            if (Resolve(method.InputType, name) is not { } field)
            {
                return (name, $"{method.InputType.FullName} has no field '{name}' (query parameter)");
            }

            if (!field.IsRepeated && values.Count > 1)
            {
                return (name, $"'{name}' is given {values.Count} times but holds one value");
            }

            foreach (var value in values)
            {
                if (Problem(field, name, value ?? "") is { } problem)
                {
                    return (name, problem);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// Field masks in the query as the proto3 JSON mapping writes them (<c>update_mask=fullName,isActive</c>) become the
    /// proto paths the services read (<c>full_name,is_active</c>); snake_case paths pass as they are.
    /// </summary>
    public static void NormalizeFieldMasks(HttpRequest request, MethodDescriptor method)
    {
        var changed = false;
        var query = new List<KeyValuePair<string, string?>>();
        foreach (var (name, values) in request.Query)
        {
            var isMask = Resolve(method.InputType, name) is { FieldType: FieldType.Message } field && field.MessageType.FullName == "google.protobuf.FieldMask";
            foreach (var value in values)
            {
                var normalized = isMask && value is not null ? string.Join(',', value.Split(',').Select(SnakeCase)) : value;
                changed |= normalized != value;
                query.Add(new(name, normalized));
            }
        }

        if (changed)
        {
            request.QueryString = QueryString.Create(query);
        }
    }

    private static string SnakeCase(string path)
    {
        var snake = new System.Text.StringBuilder(path.Length + 4);
        foreach (var c in path.Trim())
        {
            if (char.IsAsciiLetterUpper(c))
            {
                snake.Append('_').Append(char.ToLowerInvariant(c));
            }
            else
            {
                snake.Append(c);
            }
        }

        return snake.ToString();
    }

    /// <summary>The field a dotted path names (proto or JSON names), or null.</summary>
    private static FieldDescriptor? Resolve(MessageDescriptor type, string path)
    {
        FieldDescriptor? field = null;
        foreach (var segment in path.Split('.'))
        {
            if (field is not null)
            {
                if (field.FieldType != FieldType.Message || field.IsRepeated)
                {
                    return null;
                }

                type = field.MessageType;
            }

            field = type.FindFieldByName(segment) ?? type.Fields.InDeclarationOrder().FirstOrDefault(f => f.JsonName == segment);
            if (field is null)
            {
                return null;
            }
        }

        return field;
    }

    private static string? Problem(FieldDescriptor field, string name, string value) => field.FieldType switch
    {
        FieldType.Int32 or FieldType.SInt32 or FieldType.SFixed32 when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            $"'{name}' must be a whole number, not '{value}'",
        FieldType.Int64 or FieldType.SInt64 or FieldType.SFixed64 when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) =>
            $"'{name}' must be a whole number, not '{value}'",
        FieldType.UInt32 or FieldType.Fixed32 when !uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
            $"'{name}' must be a whole number of at least 0, not '{value}'",
        FieldType.UInt64 or FieldType.Fixed64 when !ulong.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out _) =>
            $"'{name}' must be a whole number of at least 0, not '{value}'",
        FieldType.Double or FieldType.Float when !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _) =>
            $"'{name}' must be a number, not '{value}'",
        FieldType.Bool when value is not ("true" or "false") => $"'{name}' must be true or false, not '{value}'",
        FieldType.Enum when field.EnumType.FindValueByName(value) is null && !int.TryParse(value, CultureInfo.InvariantCulture, out _) =>
            $"'{name}' must be one of {string.Join(", ", field.EnumType.Values.Select(v => v.Name))}, not '{value}'",
        _ => null,
    };
}
