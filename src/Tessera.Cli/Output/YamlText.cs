using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Tessera.Cli.Output;

/// <summary>
/// A JSON value as block-style YAML 1.2. Strings are plain where that reads back as the same string, else
/// double-quoted with JSON escapes (which YAML accepts); numbers, booleans and null are written as in JSON.
/// </summary>
internal static partial class YamlText
{
    public static string Format(JsonNode? node)
    {
        var text = new StringBuilder();
        switch (node)
        {
            case JsonObject obj when obj.Count > 0:
                WriteObject(text, obj, 0);
                break;
            case JsonArray array when array.Count > 0:
                WriteArray(text, array, 0);
                break;
            default:
                text.Append(Scalar(node)).Append('\n');
                break;
        }

        return text.ToString();
    }

    private static void WriteObject(StringBuilder text, JsonObject obj, int indent)
    {
        foreach (var (key, value) in obj)
        {
            text.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(text, value, indent);
        }
    }

    private static void WriteArray(StringBuilder text, JsonArray array, int indent)
    {
        foreach (var item in array)
        {
            text.Append(' ', indent).Append('-');
            if (item is JsonObject { Count: > 0 } obj)
            {
                // The first key goes on the dash's line, the rest under it.
                var nested = new StringBuilder();
                WriteObject(nested, obj, indent + 2);
                text.Append(' ').Append(nested.ToString().AsSpan(indent + 2));
            }
            else
            {
                WriteValue(text, item, indent);
            }
        }
    }

    private static void WriteValue(StringBuilder text, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: > 0 } obj:
                text.Append('\n');
                WriteObject(text, obj, indent + 2);
                break;
            case JsonArray { Count: > 0 } array:
                text.Append('\n');
                WriteArray(text, array, indent + 2);
                break;
            default:
                text.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Key(string key) => PlainSafe(key) ? key : Quoted(key);

    private static string Scalar(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "{}",
        JsonArray => "[]",
        JsonValue value when value.GetValueKind() == JsonValueKind.String => String(value.GetValue<string>()),
        _ => node.ToJsonString(),
    };

    private static string String(string value) => PlainSafe(value) ? value : Quoted(value);

    private static string Quoted(string value) => JsonSerializer.Serialize(value, DataPrinter.Readable);

    /// <summary>True when <paramref name="value"/> written plain reads back as this string (not a number, bool, null or syntax).</summary>
    private static bool PlainSafe(string value) =>
        PlainPattern().IsMatch(value)
        && !ReservedWords.Contains(value)
        && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
        && !value.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
        && !value.StartsWith("0o", StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> ReservedWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "null", "yes", "no", "on", "off", "y", "n", "~", ".inf", "-.inf", "+.inf", ".nan",
    };

    // Letters, digits and a few safe marks; no leading mark YAML treats as syntax, no ': ' or ' #', no edge spaces.
    [GeneratedRegex(@"^[\p{L}\p{N}_./(][\p{L}\p{N} _./@+()-]*(?<! )$")]
    private static partial Regex PlainPattern();
}
