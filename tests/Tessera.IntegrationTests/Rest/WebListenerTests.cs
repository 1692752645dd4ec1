using System.Net;
using Tessera.Contracts.User.V1;

namespace Tessera.IntegrationTests.Rest;

/// <summary>Where the web face is served: on <c>--web-urls</c> only, and nowhere with <c>none</c>.</summary>
public sealed class WebListenerTests
{
    [Fact]
    public async Task Web_urls_none_serves_no_web_port_and_gRPC_carries_on()
    {
        await using var server = TesseraServer.With(["--auth", "none", "--web-urls", "none"]);
        await server.InitializeAsync();

        Assert.Null(server.WebAddress);
        await server.Users.SearchUsersAsync(new SearchUsersRequest());
    }

    [Fact]
    public async Task The_console_files_openapi_and_docs_are_served_on_the_web_port_and_not_on_the_gRPC_port()
    {
        var webRoot = Directory.CreateTempSubdirectory("tessera-webroot-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(webRoot, "index.html"), "<!doctype html><title>console marker</title>");
            await using var server = TesseraServer.With(["--auth", "none", "--webroot", webRoot]);
            await server.InitializeAsync();
            using var web = new RestClient(server.WebAddress!);

            using (var index = await web.GetAsync("/"))
            {
                Assert.Equal(HttpStatusCode.OK, index.StatusCode);
                Assert.Contains("console marker", await index.Content.ReadAsStringAsync(), StringComparison.Ordinal);
                Assert.Equal("no-cache", index.Headers.CacheControl?.ToString());
            }

            foreach (var path in new[] { "/openapi.json", "/docs/" })
            {
                using var page = await web.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            }

            // The gRPC port speaks HTTP/2 only (h2c); it answers these paths with 404.
            using var grpcPort = new HttpClient { BaseAddress = new Uri(server.Address), DefaultRequestVersion = HttpVersion.Version20, DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact };
            foreach (var path in new[] { "/", "/index.html", "/openapi.json", "/docs/" })
            {
                using var response = await grpcPort.GetAsync(path);
                Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{path} on the gRPC port: {(int)response.StatusCode}");
            }
        }
        finally
        {
            Directory.Delete(webRoot, recursive: true);
        }
    }
}
