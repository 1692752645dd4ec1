using System.Text.RegularExpressions;

namespace Tessera.IntegrationTests.Rest;

/// <summary>The route table of the README's "REST and gRPC-Web" section says what the annotations say.</summary>
public sealed partial class ReadmeRoutesTests
{
    [Fact]
    public void The_READMEs_route_table_matches_the_http_rules()
    {
        var readme = File.ReadAllText(Path.Combine(Deploy.KubernetesManifests.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("## REST and gRPC-Web", StringComparison.Ordinal)..];
        section = section[..section.IndexOf("\n## ", 3, StringComparison.Ordinal)];
        var documented = Row().Matches(section)
            .SelectMany(row => Route().Matches(row.Groups[1].Value).Select(route => $"{route.Groups[1].Value.ToLowerInvariant()} {route.Groups[2].Value} {row.Groups[2].Value}"))
            .Order(StringComparer.Ordinal).ToList();

        var annotated = HttpRules.Services
            .SelectMany(service => service.Methods.Select(method => (Method: $"{service.Name}.{method.Name}", Rule: HttpRules.Of(method))))
            .Where(method => method.Rule is not null)
            .SelectMany(method => HttpRules.Bindings(method.Rule!).Select(binding => $"{binding.Verb} {binding.Path} {method.Method}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(annotated, documented);
    }

    [GeneratedRegex(@"^\| ((?:`[A-Z]+ [^`]+`(?:<br>)?)+) \| `([A-Za-z]+\.[A-Za-z]+)`", RegexOptions.Multiline)]
    private static partial Regex Row();

    [GeneratedRegex(@"`([A-Z]+) ([^`]+)`")]
    private static partial Regex Route();
}
