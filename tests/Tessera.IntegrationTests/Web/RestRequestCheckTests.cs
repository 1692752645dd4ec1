using System.Net;
using System.Text;
using System.Text.Json;

namespace Tessera.IntegrationTests.Web;

/// <summary>
/// What the REST face says about requests that do not fit their message (path, query, body), and the answers that
/// only HTTP has: 413 for a body over the limit, newline-delimited JSON for a server stream.
/// </summary>
public sealed class RestRequestCheckTests(TesseraServer server) : ServerTests(server)
{
    private HttpClient Http() => new() { BaseAddress = new Uri(Server.WebAddress!), DefaultRequestVersion = HttpVersion.Version11 };

    [Theory]
    [InlineData("/v1/users/abc", "user_id", "whole number")]
    [InlineData("/v1/users?page_size=ten", "page_size", "whole number")]
    [InlineData("/v1/users?bogus=1", "bogus", "has no field 'bogus'")]
    [InlineData("/v1/users?page_size=1&page_size=2", "page_size", "2 times")]
    [InlineData("/v1/orders?state=SHIPPED", "state", "STATE_CONFIRMED")]
    [InlineData("/v1/users:watch?live_only=yes", "live_only", "true or false")]
    public async Task A_parameter_that_does_not_fit_is_400_naming_it(string path, string field, string says)
    {
        using var http = Http();
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(3, body.RootElement.GetProperty("code").GetInt32());
        Assert.Contains(says, body.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        var details = body.RootElement.GetProperty("details").EnumerateArray().ToList();
        Assert.Contains(details, d => d.TryGetProperty("reason", out var reason) && reason.GetString() == "BAD_PARAMETER");
        Assert.Contains(details, d => d.TryGetProperty("fieldViolations", out var violations) && violations[0].GetProperty("field").GetString() == field);
    }

    [Fact]
    public async Task An_update_mask_in_the_JSON_mappings_camel_case_names_the_proto_fields()
    {
        var user = await CreateAsync();
        using var http = Http();
        using var patch = new StringContent("""{"fullName":"Camel Case","isActive":false}""", Encoding.UTF8, "application/json");
        using var response = await http.PatchAsync(new Uri($"/v1/users/{user.Id}?update_mask=fullName,isActive", UriKind.Relative), patch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await Users.GetUserAsync(new() { UserId = user.Id });
        Assert.Equal("Camel Case", stored.FullName);
        Assert.False(stored.IsActive);
    }

    [Fact]
    public async Task A_body_over_the_message_limit_is_413_and_nothing_is_stored()
    {
        var username = Unique("big");
        var json = JsonSerializer.Serialize(new { username, email = $"{username}@example.com", fullName = new string('x', 5_000_000) });
        using var http = Http();
        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/v1/users", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("MESSAGE_TOO_LARGE", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var found = await Users.SearchUsersAsync(new() { Filter = $"username = \"{username}\"" });
        Assert.Equal(0, found.TotalSize);
    }

    [Fact]
    public async Task A_server_stream_over_REST_is_one_JSON_object_per_line()
    {
        var created = new[] { await CreateAsync(), await CreateAsync(), await CreateAsync() };
        using var http = Http();
        var filter = Uri.EscapeDataString($"id >= {created[0].Id} AND id <= {created[2].Id}");
        var text = await http.GetStringAsync(new Uri($"/v1/users:stream?filter={filter}", UriKind.Relative));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(created.Select(u => u.Username), lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("username").GetString()));
        // int64 is a JSON string, as the proto3 JSON mapping writes it.
        Assert.Equal(created.Select(u => u.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)), lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty("id").GetString()));
    }
}
