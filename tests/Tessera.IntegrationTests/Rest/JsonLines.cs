using System.Text.Json;

namespace Tessera.IntegrationTests.Rest;

/// <summary>
/// A server stream over REST as JSON transcoding writes it: 200 with <c>application/json</c>, then one JSON object
/// per message, each on its own line, as the messages are sent (not one JSON array at the end).
/// </summary>
public sealed class JsonLines(HttpResponseMessage response, StreamReader reader) : IAsyncDisposable
{
    public HttpResponseMessage Response => response;

    public static async Task<JsonLines> OpenAsync(RestClient rest, string path, string token, CancellationToken cancellationToken)
    {
        var response = await rest.SendAsync(HttpMethod.Get, path, token, completion: HttpCompletionOption.ResponseHeadersRead, cancellationToken: cancellationToken);
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        return new JsonLines(response, reader);
    }

    /// <summary>The next message, or null at the end of the stream.</summary>
    public async Task<JsonElement?> NextAsync(CancellationToken cancellationToken)
    {
        var line = await reader.ReadLineAsync(cancellationToken);
        while (line is { Length: 0 })
        {
            line = await reader.ReadLineAsync(cancellationToken);
        }

        if (line is null)
        {
            return null;
        }

        using var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document.RootElement.Clone();
    }

    /// <summary>Every message to the end of the stream.</summary>
    public async Task<List<JsonElement>> ReadAllAsync(CancellationToken cancellationToken)
    {
        var all = new List<JsonElement>();
        while (await NextAsync(cancellationToken) is { } message)
        {
            all.Add(message);
        }

        return all;
    }

    public ValueTask DisposeAsync()
    {
        reader.Dispose();
        response.Dispose();
        return ValueTask.CompletedTask;
    }
}
