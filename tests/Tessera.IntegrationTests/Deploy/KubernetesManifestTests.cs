using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Tessera.Server;
using Tessera.Users.Storage;
using YamlDotNet.RepresentationModel;

namespace Tessera.IntegrationTests.Deploy;

/// <summary>
/// deploy/kubernetes/ read the way the cluster and the server would read it (there is no kubectl here): the objects
/// parse, the probes reach the port the server listens on, every flag is one the server knows, the Secret, its keys
/// and the environment variables are spelled as the server and the Secret spell them, and the Services and the
/// PodDisruptionBudget select the Deployment's pods.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    private static readonly string[] NotApplied = ["secret.example.yaml", "postgres-dev.yaml"];

    private readonly KubernetesManifests manifests = KubernetesManifests.Load();

    [Fact]
    public void Every_file_parses_into_named_objects_and_the_kustomization_applies_all_but_the_example_and_dev_ones()
    {
        var objects = manifests.All.Where(m => m.Root.Find("kind") is not null && m.Kind != "Kustomization").ToList();
        Assert.NotEmpty(objects);
        foreach (var manifest in objects)
        {
            Assert.False(string.IsNullOrEmpty(manifest.Root.Text("apiVersion")), $"{manifest} has no apiVersion");
            Assert.False(string.IsNullOrEmpty(manifest.Name), $"{manifest} has no metadata.name");
        }

        var kustomization = manifests.All.Single(m => m.File == "kustomization.yaml");
        var listed = kustomization.Root.Seq("resources").Select(r => ((YamlScalarNode)r).Value!).ToHashSet();
        var files = objects.Select(m => m.File).Distinct().ToHashSet();
        Assert.Equal(files.Except(NotApplied).Order(), listed.Order());
    }

    [Fact]
    public void The_probes_and_Services_reach_the_port_of_the_servers_urls()
    {
        var container = manifests.ServerContainer;
        var options = ReadOptions(container);
        var grpcPort = ContainerPort(container, "grpc");
        Assert.Equal([grpcPort], options.Urls.Select(u => new Uri(u).Port));
        Assert.Equal([ContainerPort(container, "metrics")], options.MetricsUrls.Select(u => new Uri(u).Port));
        Assert.Equal([ContainerPort(container, "web")], options.WebUrls.Select(u => new Uri(u).Port));

        foreach (var probe in new[] { "startupProbe", "readinessProbe", "livenessProbe" })
        {
            // Kubernetes' gRPC probe takes a port number only, so it must be the grpc containerPort's.
            Assert.True(container.Find(probe) is YamlMappingNode, $"the server container has no {probe}");
            Assert.Equal(grpcPort, container.Map(probe).Map("grpc").Number("port"));
        }

        foreach (var service in manifests.All.Where(m => m.Kind == "Service" && m.File != "postgres-dev.yaml"))
        {
            var port = service.Root.Map("spec").Seq("ports").Cast<YamlMappingNode>().Single(p => p.Text("name") == "grpc");
            Assert.Equal(grpcPort, port.Number("port"));
            Assert.Equal("grpc", port.Text("targetPort"));
        }
    }

    [Fact]
    public void Every_container_flag_is_a_server_setting_and_together_with_the_Secret_they_start_a_postgres_server()
    {
        var settings = ServerCommandLine.Flags.Select(flag => flag[2..]).ToHashSet();
        var flags = Args(manifests.ServerContainer).Where(a => a.StartsWith("--", StringComparison.Ordinal)).Select(a => a[2..].Split('=')[0]).ToList();
        Assert.NotEmpty(flags);
        Assert.All(flags, flag => Assert.True(settings.Contains(flag), $"--{flag} is not a server setting (TesseraSettings)"));

        var options = ReadOptions(manifests.ServerContainer);
        Assert.Equal(StoreEngine.Postgres, options.Store.Engine);
        Assert.Equal(SecretValues("tessera-secrets")["connection"], options.Store.ConnectionString);
        Assert.NotNull(options.JwtKey);

        // Kubernetes sends SIGTERM after preStop, then kills at the grace period: the server's drain must fit in it.
        var pod = KubernetesManifests.PodSpec(manifests.Deployment);
        var preStopSeconds = PreStopSleepSeconds(manifests.ServerContainer);
        Assert.True(
            pod.Number("terminationGracePeriodSeconds") > preStopSeconds + options.ShutdownTimeout.TotalSeconds,
            $"terminationGracePeriodSeconds must be above preStop ({preStopSeconds} s) + --shutdown-seconds ({options.ShutdownTimeout.TotalSeconds} s)");
    }

    [Fact]
    public void The_environment_variables_are_spelled_as_the_server_reads_them()
    {
        var serverSources = Directory.GetFiles(Path.Combine(KubernetesManifests.RepositoryRoot(), "src", "Tessera.Server"), "*.cs", SearchOption.AllDirectories);
        var read = serverSources
            .SelectMany(file => EnvironmentRead().Matches(File.ReadAllText(file)))
            .Select(match => match.Groups["name"].Value)
            .ToHashSet();
        var given = Env(manifests.ServerContainer).Select(e => e.Text("name")).ToList();

        Assert.All(given.Where(n => n.StartsWith("TESSERA_", StringComparison.Ordinal)), name => Assert.True(read.Contains(name), $"the server reads no {name}"));
        Assert.Contains("TESSERA_CONNECTION", given);
        Assert.Contains("TESSERA_JWT_KEY", given);
        Assert.Contains("TESSERA_CONNECTION", read);
        Assert.Contains("TESSERA_JWT_KEY", read);
    }

    [Fact]
    public void Every_secretKeyRef_names_a_Secret_and_a_key_it_defines()
    {
        var refs = manifests.All.SelectMany(m => m.Root.Holding("secretKeyRef").Select(holder => (Manifest: m, Ref: holder.Map("secretKeyRef")))).ToList();
        Assert.NotEmpty(refs);
        foreach (var (manifest, reference) in refs)
        {
            var name = reference.Text("name");
            var key = reference.Text("key");
            Assert.True(SecretValues(name).ContainsKey(key), $"{manifest} reads key '{key}' of Secret {name}, which has no such key");
        }

        var serverSecrets = Env(manifests.ServerContainer).Select(e => e.Map("valueFrom").Map("secretKeyRef").Text("name")).Distinct();
        Assert.Equal(["tessera-secrets"], serverSecrets);
        Assert.Equal("secret.example.yaml", manifests.Single("Secret", "tessera-secrets").File);
    }

    [Fact]
    public void The_Services_and_the_PodDisruptionBudget_select_the_Deployments_pods()
    {
        var deployment = manifests.Deployment.Root;
        var podLabels = deployment.Map("spec").Map("template").Map("metadata").Strings("labels");
        var replicas = deployment.Map("spec").Number("replicas");
        Assert.True(replicas >= 3, "three replicas at least, so that the PodDisruptionBudget can let one go");
        AssertSelects(podLabels, deployment.Map("spec").Map("selector").Strings("matchLabels"), "the Deployment's selector");

        var headless = manifests.Single("Service", "tessera-headless").Root.Map("spec");
        Assert.Equal("None", headless.Text("clusterIP"));
        AssertSelects(podLabels, headless.Strings("selector"), "tessera-headless");
        AssertSelects(podLabels, manifests.Single("Service", "tessera").Root.Map("spec").Strings("selector"), "the Service tessera");

        var budget = manifests.Single("PodDisruptionBudget", "tessera").Root.Map("spec");
        AssertSelects(podLabels, budget.Map("selector").Strings("matchLabels"), "the PodDisruptionBudget");
        Assert.InRange(budget.Number("minAvailable"), 2, replicas - 1);

        // The dev PostgreSQL's Service reaches its StatefulSet's pod the same way.
        var postgres = manifests.Single("StatefulSet", "tessera-postgres-dev").Root.Map("spec");
        AssertSelects(postgres.Map("template").Map("metadata").Strings("labels"), manifests.Single("Service", "tessera-postgres-dev").Root.Map("spec").Strings("selector"), "tessera-postgres-dev");
    }

    private static void AssertSelects(Dictionary<string, string> podLabels, Dictionary<string, string> selector, string what)
    {
        Assert.True(selector.Count > 0, $"{what} selects nothing");
        foreach (var (key, value) in selector)
        {
            Assert.True(podLabels.TryGetValue(key, out var label) && label == value, $"{what} selects {key}={value}, which the pods do not carry");
        }
    }

    /// <summary>
    /// The container's flags bound by the server's own TesseraOptions.Read, with the Secret's example values standing
    /// in for the environment variables the Deployment fills from it (and a real key for the placeholder).
    /// </summary>
    private TesseraOptions ReadOptions(YamlMappingNode container)
    {
        var fromSecret = new Dictionary<string, string?>
        {
            ["connection"] = SecretValues("tessera-secrets")["connection"],
            ["jwt-key"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(64)),
        };
        var configuration = new ConfigurationBuilder().AddCommandLine([.. Args(container)]).AddInMemoryCollection(fromSecret).Build();
        return TesseraOptions.Read(configuration);
    }

    private Dictionary<string, string> SecretValues(string name)
    {
        var secret = manifests.Single("Secret", name).Root;
        return secret.Strings("stringData").Concat(secret.Strings("data")).ToDictionary();
    }

    private static int ContainerPort(YamlMappingNode container, string name) =>
        container.Seq("ports").Cast<YamlMappingNode>().Single(p => p.Text("name") == name).Number("containerPort");

    private static List<string> Args(YamlMappingNode container) => container.Seq("args").Select(a => ((YamlScalarNode)a).Value!).ToList();

    private static IEnumerable<YamlMappingNode> Env(YamlMappingNode container) => container.Seq("env").Cast<YamlMappingNode>();

    private static int PreStopSleepSeconds(YamlMappingNode container) =>
        container.Find("lifecycle") is YamlMappingNode lifecycle && lifecycle.Map("preStop").Map("exec").Seq("command").Select(c => ((YamlScalarNode)c).Value).ToList() is ["sleep", var seconds]
            ? int.Parse(seconds!, System.Globalization.CultureInfo.InvariantCulture)
            : 0;

    [GeneratedRegex("""GetEnvironmentVariable\("(?<name>[A-Z0-9_]+)"\)""")]
    private static partial Regex EnvironmentRead();
}
