using YamlDotNet.RepresentationModel;

namespace Tessera.IntegrationTests.Deploy;

/// <summary>Reads a path of a manifest, failing with the missing key's name rather than a null reference.</summary>
internal static class YamlNodes
{
    public static YamlNode? Find(this YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

    public static YamlNode Get(this YamlMappingNode node, string key) =>
        node.Find(key) ?? throw new KeyNotFoundException($"'{key}' is missing at line {node.Start.Line}");

    public static YamlMappingNode Map(this YamlMappingNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new InvalidDataException($"'{key}' at line {node.Start.Line} is not a mapping");

    public static IEnumerable<YamlNode> Seq(this YamlMappingNode node, string key) =>
        node.Find(key) is YamlSequenceNode sequence ? sequence.Children : [];

    public static string Text(this YamlMappingNode node, string key) =>
        (node.Get(key) as YamlScalarNode)?.Value ?? throw new InvalidDataException($"'{key}' at line {node.Start.Line} is not a scalar");

    public static int Number(this YamlMappingNode node, string key) => int.Parse(node.Text(key), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A mapping of scalars (labels, a selector's matchLabels, a Secret's stringData) as a dictionary.</summary>
    public static Dictionary<string, string> Strings(this YamlMappingNode node, string key) =>
        node.Find(key) is YamlMappingNode map
            ? map.Children.ToDictionary(pair => ((YamlScalarNode)pair.Key).Value!, pair => ((YamlScalarNode)pair.Value).Value ?? "")
            : [];

    /// <summary>Every mapping under <paramref name="node"/> (itself included) that holds <paramref name="key"/>.</summary>
    public static IEnumerable<YamlMappingNode> Holding(this YamlNode node, string key) => node.AllNodes.OfType<YamlMappingNode>().Where(map => map.Find(key) is not null);
}
