using System.Net;
using System.Text.Json;
using Grpc.Core;

namespace Tessera.IntegrationTests.Rest;

/// <summary>Reading and checking the REST face's JSON: answers, and errors (a <c>google.rpc.Status</c> body).</summary>
public static class Json
{
    private const string TypePrefix = "type.googleapis.com/google.rpc.";

    public static string Of(object value) => JsonSerializer.Serialize(value);

    /// <summary>Asserts the HTTP status (showing the body if it differs) and returns the JSON body.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: expected {(int)status}, got {(int)response.StatusCode}: {text}");
        if (text.Length == 0)
        {
            return default;
        }

        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    /// <summary>
    /// Asserts an error answer: the HTTP status, a google.rpc.Status body with the gRPC code, and (if given) an
    /// ErrorInfo with that reason. Returns the status body.
    /// </summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, StatusCode code, string? reason = null)
    {
        var body = await ExpectAsync(response, status);
        Assert.Equal((int)code, body.GetProperty("code").GetInt32());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("message").GetString()), $"an error without a message: {body}");
        if (reason is not null)
        {
            var info = Detail(body, "ErrorInfo");
            Assert.True(info.HasValue, $"no ErrorInfo in {body}");
            Assert.Equal(reason, info.Value.GetProperty("reason").GetString());
        }

        return body;
    }

    /// <summary>The detail of a type (<c>ErrorInfo</c>, <c>BadRequest</c>, <c>RetryInfo</c>...) in a status body, if any.</summary>
    public static JsonElement? Detail(JsonElement status, string type)
    {
        if (!status.TryGetProperty("details", out var details))
        {
            return null;
        }

        foreach (var detail in details.EnumerateArray())
        {
            if (detail.GetProperty("@type").GetString() == TypePrefix + type)
            {
                return detail;
            }
        }

        return null;
    }

    /// <summary>The fields a BadRequest detail names.</summary>
    public static IReadOnlyList<string> ViolatedFields(JsonElement status) =>
        Detail(status, "BadRequest") is { } bad
            ? [.. bad.GetProperty("fieldViolations").EnumerateArray().Select(violation => violation.GetProperty("field").GetString()!)]
            : [];

    public static string String(this JsonElement element, string property) => element.GetProperty(property).GetString()!;
}
