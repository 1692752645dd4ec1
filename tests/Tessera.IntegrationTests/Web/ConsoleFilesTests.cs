using System.Net;
using System.Text.RegularExpressions;

namespace Tessera.IntegrationTests.Web;

/// <summary>The web console's files as a browser gets them: from the web address only, cached by content hash, under a CSP.</summary>
public sealed partial class ConsoleFilesTests(TesseraServer server) : ServerTests(server)
{
    [Fact]
    public async Task The_web_address_serves_the_console_with_its_security_and_caching_headers()
    {
        using var http = new HttpClient { BaseAddress = new Uri(Server.WebAddress!) };
        using var index = await http.GetAsync(new Uri("/", UriKind.Relative));
        var html = await index.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, index.StatusCode);
        Assert.Equal("text/html", index.Content.Headers.ContentType?.MediaType);
        Assert.Contains("default-src 'self'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", index.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.True(index.Headers.CacheControl?.NoCache, "index.html must be checked on every load");

        var script = ScriptPath().Match(html);
        Assert.True(script.Success, $"index.html names no script: {html}");
        using var asset = await http.GetAsync(new Uri(script.Groups["path"].Value, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, asset.StatusCode);
        Assert.Equal(TimeSpan.FromDays(365), asset.Headers.CacheControl?.MaxAge);
        Assert.Equal("nosniff", asset.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task The_console_is_gzipped_for_a_browser_that_asks()
    {
        using var handler = new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Server.WebAddress!) };
        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.AcceptEncoding.ParseAdd("gzip");
        using var response = await http.SendAsync(request);

        Assert.Equal("gzip", response.Content.Headers.ContentEncoding.Single());
    }

    [Fact]
    public async Task The_grpc_address_does_not_serve_the_console()
    {
        using var handler = new SocketsHttpHandler();
        using var http = new HttpClient(handler) { BaseAddress = new Uri(Server.Address), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
        using var response = await http.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [GeneratedRegex("<script[^>]+src=\"\\.?(?<path>/assets/[^\"]+\\.js)\"")]
    private static partial Regex ScriptPath();
}
