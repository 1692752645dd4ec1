using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Google.Protobuf;

namespace Tessera.Cli.Output;

/// <summary>
/// Writes data for <c>-o json</c> and <c>-o yaml</c>: proto messages with their proto3 JSON names, other values
/// as the JSON objects the commands build. JSON is indented on a terminal and one line a value when piped.
/// </summary>
internal sealed class DataPrinter(TextWriter output, OutputFormat format, bool terminal)
{
    /// <summary>JSON escaping only what JSON requires: a message's quotes and angle brackets stay readable.</summary>
    public static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly JsonSerializerOptions Indented = new(Readable) { WriteIndented = true };

    /// <summary>True for json and yaml: the command prints data rather than a table.</summary>
    public bool IsData => format != OutputFormat.Table;

    public void Write(IMessage message) => Write(ProtoJson.Node(message));

    public void Write(JsonNode? node) => output.WriteLine(Format(node, format, terminal));

    /// <summary>One item of a stream (list, watch, chat): a JSON value, or a YAML document.</summary>
    public void WriteItem(IMessage message)
    {
        if (format == OutputFormat.Yaml)
        {
            output.WriteLine("---");
        }

        Write(message);
    }

    public static string Format(JsonNode? node, OutputFormat format, bool terminal) => format switch
    {
        OutputFormat.Yaml => YamlText.Format(node).TrimEnd('\n'),
        _ => node?.ToJsonString(terminal ? Indented : Readable) ?? "null",
    };
}
