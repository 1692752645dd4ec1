using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Tessera.Cli.Output;

/// <summary>Proto messages as JSON with the proto3 JSON names (<c>fullName</c>, <c>isActive</c>), defaults included.</summary>
internal static class ProtoJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    public static string Format(IMessage message) => Formatter.Format(message);

    public static JsonNode Node(IMessage message) => JsonNode.Parse(Format(message))!;
}
