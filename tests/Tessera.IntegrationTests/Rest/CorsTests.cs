using System.Net;

namespace Tessera.IntegrationTests.Rest;

/// <summary>CORS: off unless <c>--cors-origins</c> names origins, and then for those origins only.</summary>
public sealed class CorsTests
{
    private const string ConsoleOrigin = "https://console.example.com";
    private const string Stranger = "https://elsewhere.example.org";

    [Fact]
    public async Task Without_cors_origins_no_origin_is_allowed()
    {
        await using var server = TesseraServer.With(["--auth", "none"]);
        await server.InitializeAsync();
        using var rest = new RestClient(server.WebAddress!);

        using var simple = await rest.SendAsync(HttpMethod.Get, "/v1/users/1", headers: new Dictionary<string, string> { ["Origin"] = ConsoleOrigin });
        Assert.False(simple.Headers.Contains("Access-Control-Allow-Origin"));
        using var preflight = await PreflightAsync(rest, ConsoleOrigin);
        Assert.False(preflight.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task Cors_origins_allows_the_listed_origin_only_and_exposes_grpc_status_and_ETag()
    {
        await using var server = TesseraServer.With(["--auth", "none", "--cors-origins", $"{ConsoleOrigin},https://other.example.com"]);
        await server.InitializeAsync();
        using var rest = new RestClient(server.WebAddress!);
        var username = RestServer.Unique("c");
        var id = (await rest.OkAsync(HttpMethod.Post, "/v1/users", json: Json.Of(new { username, email = $"{username}@example.com" }))).GetProperty("user").String("id");

        using var preflight = await PreflightAsync(rest, ConsoleOrigin);
        Assert.True(preflight.IsSuccessStatusCode, $"preflight: {(int)preflight.StatusCode}");
        Assert.Equal(ConsoleOrigin, Single(preflight, "Access-Control-Allow-Origin"));
        Assert.Contains("PATCH", Single(preflight, "Access-Control-Allow-Methods"), StringComparison.OrdinalIgnoreCase);
        var allowedHeaders = Single(preflight, "Access-Control-Allow-Headers").ToLowerInvariant();
        Assert.Contains("authorization", allowedHeaders, StringComparison.Ordinal);
        Assert.Contains("if-match", allowedHeaders, StringComparison.Ordinal);

        using var simple = await rest.SendAsync(HttpMethod.Get, $"/v1/users/{id}", headers: new Dictionary<string, string> { ["Origin"] = ConsoleOrigin });
        Assert.Equal(HttpStatusCode.OK, simple.StatusCode);
        Assert.Equal(ConsoleOrigin, Single(simple, "Access-Control-Allow-Origin"));
        var exposed = Single(simple, "Access-Control-Expose-Headers").Split(',', StringSplitOptions.TrimEntries).Select(h => h.ToLowerInvariant()).ToList();
        Assert.Contains("grpc-status", exposed);
        Assert.Contains("grpc-message", exposed);
        Assert.Contains("etag", exposed);

        using var stranger = await rest.SendAsync(HttpMethod.Get, $"/v1/users/{id}", headers: new Dictionary<string, string> { ["Origin"] = Stranger });
        Assert.False(stranger.Headers.Contains("Access-Control-Allow-Origin"));
        using var strangerPreflight = await PreflightAsync(rest, Stranger);
        Assert.False(strangerPreflight.Headers.Contains("Access-Control-Allow-Origin"));
    }

    private static Task<HttpResponseMessage> PreflightAsync(RestClient rest, string origin) =>
        rest.SendAsync(HttpMethod.Options, "/v1/users/1", headers: new Dictionary<string, string>
        {
            ["Origin"] = origin,
            ["Access-Control-Request-Method"] = "PATCH",
            ["Access-Control-Request-Headers"] = "authorization,content-type,if-match",
        });

    private static string Single(HttpResponseMessage response, string header) =>
        Assert.Single(response.Headers.GetValues(header));
}
