using YamlDotNet.RepresentationModel;

namespace Tessera.IntegrationTests.Deploy;

/// <summary>One YAML document of deploy/kubernetes/ (a Kubernetes object), with the file it came from.</summary>
internal sealed record Manifest(string File, YamlMappingNode Root)
{
    public string Kind => Root.Text("kind");

    public string Name => Root.Map("metadata").Text("name");

    public override string ToString() => $"{Kind}/{Name} ({File})";
}
