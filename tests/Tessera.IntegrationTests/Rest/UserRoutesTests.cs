using System.Net;
using System.Text.Json;
using Grpc.Core;

namespace Tessera.IntegrationTests.Rest;

/// <summary>user.v1.UserService over REST: create, get, update, delete, search, and the two server streams.</summary>
public sealed class UserRoutesTests(RestServer fixture) : RestTests(fixture)
{
    [Fact]
    public async Task A_user_is_created_read_updated_and_deleted_with_int64_ids_as_strings()
    {
        var username = RestServer.Unique("u");
        using var created = await Rest.SendAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username, email = $"{username}@example.com", fullName = "Una", metadata = new { team = "blue" } }));
        var body = await Json.ExpectAsync(created, HttpStatusCode.OK);
        var user = body.GetProperty("user");
        Assert.Equal(JsonValueKind.String, user.GetProperty("id").ValueKind);
        var id = user.String("id");
        Assert.Equal(username, user.String("username"));
        Assert.Equal("Una", user.String("fullName"));
        Assert.Equal("blue", user.GetProperty("metadata").String("team"));
        Assert.Equal($"\"{user.String("etag")}\"", created.Headers.ETag?.ToString());

        using var read = await Rest.GetAsync($"/v1/users/{id}", Admin);
        var got = await Json.ExpectAsync(read, HttpStatusCode.OK);
        Assert.Equal(username, got.String("username"));
        Assert.Equal(user.String("createdAt"), got.String("createdAt"));

        var updated = await Rest.OkAsync(HttpMethod.Patch, $"/v1/users/{id}?updateMask=full_name", Admin, Json.Of(new { fullName = "Una Two", email = "ignored@example.com" }));
        Assert.Equal("Una Two", updated.String("fullName"));
        Assert.Equal($"{username}@example.com", updated.String("email"));

        using var deleted = await Rest.SendAsync(HttpMethod.Delete, $"/v1/users/{id}", Admin);
        Assert.Equal("{}", (await Json.ExpectAsync(deleted, HttpStatusCode.OK)).GetRawText());
        using var gone = await Rest.GetAsync($"/v1/users/{id}", Admin);
        var error = await Json.ErrorAsync(gone, HttpStatusCode.NotFound, StatusCode.NotFound, "USER_NOT_FOUND");
        Assert.Equal(id, Json.Detail(error, "ErrorInfo")!.Value.GetProperty("metadata").String("user_id"));
    }

    [Fact]
    public async Task A_taken_username_is_409_and_an_invalid_one_is_400_naming_the_field()
    {
        var username = RestServer.Unique("u");
        await Rest.OkAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username, email = $"{username}@example.com" }));

        using var taken = await Rest.PostAsync("/v1/users", Json.Of(new { username, email = $"other{username}@example.com" }), Admin);
        await Json.ErrorAsync(taken, HttpStatusCode.Conflict, StatusCode.AlreadyExists);
        using var invalid = await Rest.PostAsync("/v1/users", Json.Of(new { username = RestServer.Unique("u"), email = "not an email" }), Admin);
        var status = await Json.ErrorAsync(invalid, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
        Assert.Contains("email", Json.ViolatedFields(status));
    }

    [Fact]
    public async Task SearchUsers_pages_with_a_token_and_filters()
    {
        var prefix = RestServer.Unique("s");
        foreach (var n in new[] { "a", "b", "c" })
        {
            await Rest.OkAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username = prefix + n, email = $"{prefix}{n}@example.com" }));
        }

        var filter = Uri.EscapeDataString($"username:\"{prefix}*\"");
        var first = await Rest.OkAsync(HttpMethod.Get, $"/v1/users?filter={filter}&pageSize=2&orderBy=username", Admin);
        Assert.Equal([prefix + "a", prefix + "b"], first.GetProperty("users").EnumerateArray().Select(u => u.String("username")));
        Assert.Equal(3, first.GetProperty("totalSize").GetInt32());
        var token = Uri.EscapeDataString(first.String("nextPageToken"));
        var second = await Rest.OkAsync(HttpMethod.Get, $"/v1/users?filter={filter}&pageSize=2&orderBy=username&pageToken={token}", Admin);
        Assert.Equal([prefix + "c"], second.GetProperty("users").EnumerateArray().Select(u => u.String("username")));
        Assert.Equal("", second.String("nextPageToken"));

        using var bad = await Rest.GetAsync("/v1/users?filter=nosuchfield%3D1", Admin);
        await Json.ErrorAsync(bad, HttpStatusCode.BadRequest, StatusCode.InvalidArgument);
    }

    [Fact]
    public async Task ListUsers_streams_one_json_object_per_line()
    {
        var prefix = RestServer.Unique("l");
        var names = Enumerable.Range(0, 5).Select(i => $"{prefix}{i}").ToList();
        foreach (var name in names)
        {
            await Rest.OkAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username = name, email = $"{name}@example.com" }));
        }

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var filter = Uri.EscapeDataString($"username:\"{prefix}*\"");
        await using var stream = await JsonLines.OpenAsync(Rest, $"/v1/users:stream?filter={filter}", Admin, deadline.Token);
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("application/json", stream.Response.Content.Headers.ContentType?.MediaType);
        var users = await stream.ReadAllAsync(deadline.Token);
        Assert.Equal(names, users.Select(u => u.String("username")));
    }

    [Fact]
    public async Task WatchUserChanges_replays_then_follows_live_changes_until_the_client_leaves()
    {
        var username = RestServer.Unique("w");
        var id = (await Rest.OkAsync(HttpMethod.Post, "/v1/users", Admin, Json.Of(new { username, email = $"{username}@example.com" }))).GetProperty("user").String("id");

        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var filter = Uri.EscapeDataString($"username = \"{username}\"");
        await using (var watch = await JsonLines.OpenAsync(Rest, $"/v1/users:watch?startRevision=1&filter={filter}", Admin, deadline.Token))
        {
            Assert.Equal(HttpStatusCode.OK, watch.Response.StatusCode);
            var replayed = (await watch.NextAsync(deadline.Token))!.Value;
            Assert.Equal("CREATED", replayed.String("type"));
            Assert.Equal(id, replayed.GetProperty("user").String("id"));
            Assert.Equal(JsonValueKind.String, replayed.GetProperty("revision").ValueKind);

            await Rest.OkAsync(HttpMethod.Patch, $"/v1/users/{id}", Admin, Json.Of(new { fullName = "Live" }));
            var live = (await watch.NextAsync(deadline.Token))!.Value;
            Assert.Equal("UPDATED", live.String("type"));
            Assert.Equal("Live", live.GetProperty("user").String("fullName"));
            Assert.True(long.Parse(live.String("revision"), System.Globalization.CultureInfo.InvariantCulture) > long.Parse(replayed.String("revision"), System.Globalization.CultureInfo.InvariantCulture));
        }

        // The server carries on after the client went away mid-stream.
        await Rest.OkAsync(HttpMethod.Get, $"/v1/users/{id}", Admin);
    }
}
