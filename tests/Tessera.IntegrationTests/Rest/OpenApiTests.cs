using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Tessera.IntegrationTests.Rest;

/// <summary>
/// The REST face's contract: the http annotations of proto/, and /openapi.json and /docs made from them (on a server
/// with every service, the bench service too).
/// </summary>
public sealed partial class OpenApiTests(RestServer fixture) : RestTests(fixture)
{
    [Fact]
    public void Every_unary_and_server_streaming_RPC_has_an_http_rule_and_no_client_or_bidi_stream_has_one()
    {
        Assert.Equal(HttpRules.ServicesInProtoFolder(), HttpRules.Services.Select(service => service.FullName));
        foreach (var method in HttpRules.Services.SelectMany(service => service.Methods))
        {
            var rule = HttpRules.Of(method);
            if (method.IsClientStreaming)
            {
                Assert.True(rule is null, $"{method.FullName} streams from the client: transcoding cannot serve it, so it must have no http rule");
            }
            else
            {
                Assert.True(rule is not null, $"{method.FullName} has no google.api.http annotation");
            }
        }
    }

    [Fact]
    public async Task Every_http_rule_is_a_path_and_operation_of_openapi_json_and_nothing_else_is()
    {
        var document = await OpenApiAsync();

        var expected = HttpRules.Services.SelectMany(service => service.Methods)
            .Select(HttpRules.Of).OfType<Google.Api.HttpRule>()
            .SelectMany(HttpRules.Bindings)
            .Select(binding => $"{binding.Verb} {HttpRules.OpenApiPath(binding.Path)}")
            .Order(StringComparer.Ordinal).ToList();
        var served = document.GetProperty("paths").EnumerateObject()
            .SelectMany(path => path.Value.EnumerateObject().Where(operation => operation.Name != "parameters").Select(operation => $"{operation.Name} {path.Name}"))
            .Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, served);
    }

    [Fact]
    public async Task Operations_are_described_by_their_proto_comments()
    {
        var paths = (await OpenApiAsync()).GetProperty("paths");

        foreach (var method in HttpRules.Services.SelectMany(service => service.Methods))
        {
            if (HttpRules.Of(method) is not { } rule)
            {
                continue;
            }

            var (verb, path) = HttpRules.Bindings(rule).First();
            var operation = paths.GetProperty(HttpRules.OpenApiPath(path)).GetProperty(verb);
            var text = Words(string.Join(' ', new[] { "summary", "description" }.Select(name => operation.TryGetProperty(name, out var value) ? value.GetString() : "")));
            Assert.True(text.Contains(Words(HttpRules.Comment(method)), StringComparison.Ordinal), $"{method.FullName}: '{HttpRules.Comment(method)}' is not in its operation's description: '{text}'");
        }

        var getUser = paths.GetProperty("/v1/users/{userId}").GetProperty("get");
        Assert.Equal("Gets one user by id. NOT_FOUND for an unknown id.", getUser.GetProperty("summary").GetString());
    }

    [Fact]
    public async Task The_linters_notes_in_proto_comments_are_not_in_the_document()
    {
        using var response = await Rest.GetAsync("/openapi.json");
        var text = await response.Content.ReadAsStringAsync();
        Assert.Contains("Gets one user by id", text, StringComparison.Ordinal);
        Assert.DoesNotContain("buf:lint", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Docs_is_an_HTML_page_that_reads_openapi_json()
    {
        using var docs = await Rest.GetAsync("/docs");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
        Assert.Contains("swagger", await docs.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        using var config = await Rest.GetAsync("/docs/index.js");
        Assert.Contains("/openapi.json", await config.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<JsonElement> OpenApiAsync()
    {
        var document = await Rest.OkAsync(HttpMethod.Get, "/openapi.json");
        Assert.StartsWith("3.", document.GetProperty("openapi").GetString(), StringComparison.Ordinal);
        return document;
    }

    private static string Words(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
