using System.Text.RegularExpressions;
using Google.Api;
using Google.Protobuf.Reflection;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Rest;

/// <summary>The services of proto/ as Tessera.Contracts compiled them, and the google.api.http rules of their methods.</summary>
public static partial class HttpRules
{
    /// <summary>Every service of Tessera.Contracts (every .proto under proto/ but google/'s).</summary>
    public static IReadOnlyList<ServiceDescriptor> Services { get; } =
    [
        .. typeof(UserService).Assembly.GetTypes()
            .Select(type => type.GetProperty("Descriptor", System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Static)?.GetValue(null))
            .OfType<FileDescriptor>()
            .SelectMany(file => file.Services)
            .OrderBy(service => service.FullName, StringComparer.Ordinal),
    ];

    /// <summary>A method's http rule, or null.</summary>
    public static HttpRule? Of(MethodDescriptor method) => method.GetOptions()?.GetExtension(AnnotationsExtensions.Http);

    /// <summary>A rule and its additional bindings, each as (verb, path template).</summary>
    public static IEnumerable<(string Verb, string Path)> Bindings(HttpRule rule) =>
        new[] { rule }.Concat(rule.AdditionalBindings).Select(binding => binding.PatternCase switch
        {
            HttpRule.PatternOneofCase.Get => ("get", binding.Get),
            HttpRule.PatternOneofCase.Post => ("post", binding.Post),
            HttpRule.PatternOneofCase.Patch => ("patch", binding.Patch),
            HttpRule.PatternOneofCase.Put => ("put", binding.Put),
            HttpRule.PatternOneofCase.Delete => ("delete", binding.Delete),
            var other => throw new InvalidOperationException($"unexpected http rule pattern {other}"),
        });

    /// <summary>
    /// A path template as OpenAPI names it: every variable in JSON (lowerCamel) form, <c>{user_id}</c> as
    /// <c>{userId}</c>, <c>{product.sku}</c> unchanged.
    /// </summary>
    public static string OpenApiPath(string template) =>
        Variable().Replace(template, match => "{" + string.Join('.', match.Groups[1].Value.Split('.').Select(LowerCamel)) + "}");

    /// <summary>The service names each .proto file under proto/ declares (google/ excluded), from the files themselves.</summary>
    public static IReadOnlyList<string> ServicesInProtoFolder()
    {
        var root = Path.Combine(Deploy.KubernetesManifests.RepositoryRoot(), "proto");
        var names = new List<string>();
        foreach (var file in Directory.EnumerateFiles(root, "*.proto", SearchOption.AllDirectories).Where(f => !Path.GetRelativePath(root, f).StartsWith("google", StringComparison.Ordinal)))
        {
            var text = File.ReadAllText(file);
            var package = Package().Match(text).Groups[1].Value;
            names.AddRange(Service().Matches(text).Select(match => $"{package}.{match.Groups[1].Value}"));
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    /// <summary>The first line of the comment right above <c>rpc NAME(</c> in the service's .proto file.</summary>
    public static string Comment(MethodDescriptor method)
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy.KubernetesManifests.RepositoryRoot(), "proto", method.File.Name));
        var at = Array.FindIndex(lines, line => Regex.IsMatch(line, $@"^\s*rpc\s+{method.Name}\s*\("));
        Assert.True(at > 0, $"rpc {method.Name} not found in {method.File.Name}");
        var first = at;
        while (first > 0 && lines[first - 1].TrimStart().StartsWith("//", StringComparison.Ordinal))
        {
            first--;
        }

        Assert.True(first < at, $"rpc {method.Name} in {method.File.Name} has no comment");
        return lines[first].TrimStart()[2..].Trim();
    }

    private static string LowerCamel(string snake)
    {
        var parts = snake.Split('_');
        return parts[0] + string.Concat(parts.Skip(1).Select(part => part.Length == 0 ? "" : char.ToUpperInvariant(part[0]) + part[1..]));
    }

    [GeneratedRegex(@"\{([a-zA-Z0-9_.]+)(=[^}]*)?\}")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^package\s+([a-zA-Z0-9_.]+)\s*;", RegexOptions.Multiline)]
    private static partial Regex Package();

    [GeneratedRegex(@"^service\s+([A-Za-z0-9_]+)\s*\{", RegexOptions.Multiline)]
    private static partial Regex Service();
}
