using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Tessera.IntegrationTests.Rest;

/// <summary>
/// Plain HTTP/1.1 against a server's <c>--web-urls</c> address, as curl or a browser's fetch would call the REST face:
/// JSON in, JSON out, the access token as a bearer header.
/// </summary>
public sealed class RestClient(string webAddress) : IDisposable
{
    private readonly HttpClient http = new()
    {
        BaseAddress = new Uri(webAddress),
        DefaultRequestVersion = HttpVersion.Version11,
        DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Sends a request; <paramref name="json"/> is the body (sent as application/json unless <paramref name="contentType"/> says otherwise).</summary>
    public Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        string? token = null,
        string? json = null,
        string contentType = "application/json",
        IReadOnlyDictionary<string, string>? headers = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        CancellationToken cancellationToken = default)
    {
        var request = new HttpRequestMessage(method, path);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return http.SendAsync(request, completion, cancellationToken);
    }

    /// <summary>Sends <paramref name="body"/> as it is, as application/json (so it may be bytes no string can hold).</summary>
    public Task<HttpResponseMessage> SendBytesAsync(HttpMethod method, string path, string? token, byte[] body)
    {
        var request = new HttpRequestMessage(method, path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return http.SendAsync(request);
    }

    public Task<HttpResponseMessage> GetAsync(string path, string? token = null) => SendAsync(HttpMethod.Get, path, token);

    public Task<HttpResponseMessage> PostAsync(string path, string json, string? token = null) => SendAsync(HttpMethod.Post, path, token, json);

    /// <summary>Sends a request that must succeed with 200 and returns its JSON body.</summary>
    public async Task<JsonElement> OkAsync(HttpMethod method, string path, string? token = null, string? json = null)
    {
        using var response = await SendAsync(method, path, token, json);
        return await Json.ExpectAsync(response, HttpStatusCode.OK);
    }

    /// <summary>POST /v1/auth:login; the access token.</summary>
    public async Task<string> LoginAsync(string username, string password)
    {
        var body = await OkAsync(HttpMethod.Post, "/v1/auth:login", json: Json.Of(new { username, password }));
        return body.GetProperty("tokens").GetProperty("accessToken").GetString()!;
    }

    public void Dispose() => http.Dispose();
}
