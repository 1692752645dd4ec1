using YamlDotNet.RepresentationModel;

namespace Tessera.IntegrationTests.Deploy;

/// <summary>Every YAML file of deploy/kubernetes/ in the repository this test was built from, parsed.</summary>
internal sealed class KubernetesManifests
{
    private KubernetesManifests(string directory, IReadOnlyList<Manifest> all)
    {
        Directory = directory;
        All = all;
    }

    public string Directory { get; }

    public IReadOnlyList<Manifest> All { get; }

    public Manifest Deployment => Single("Deployment", "tessera");

    /// <summary>The tessera-server container of the Deployment.</summary>
    public YamlMappingNode ServerContainer =>
        (YamlMappingNode)PodSpec(Deployment).Seq("containers").Single(c => ((YamlMappingNode)c).Text("name") == "tessera-server");

    public static YamlMappingNode PodSpec(Manifest workload) => workload.Root.Map("spec").Map("template").Map("spec");

    public Manifest Single(string kind, string name) =>
        All.SingleOrDefault(m => m.Kind == kind && m.Name == name) ?? throw new InvalidDataException($"no {kind} named {name} in {Directory}");

    public static KubernetesManifests Load()
    {
        var directory = Path.Combine(RepositoryRoot(), "deploy", "kubernetes");
        var all = new List<Manifest>();
        foreach (var file in System.IO.Directory.GetFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
        {
            var stream = new YamlStream();
            using (var reader = File.OpenText(file))
            {
                stream.Load(reader);
            }

            all.AddRange(stream.Documents.Select(d => new Manifest(Path.GetFileName(file), (YamlMappingNode)d.RootNode)));
        }

        return new KubernetesManifests(directory, all);
    }

    /// <summary>The folder holding Tessera.slnx, above the test's output folder.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Tessera.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no Tessera.slnx above {AppContext.BaseDirectory}");
    }
}
